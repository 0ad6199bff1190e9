import type { z } from 'zod'
import type {
  CreatePaymentSchema,
  MarkPaidSchema,
  Payment,
  UpdatePaymentSchema,
} from '../../shared/api/index.ts'
import { formatMinor, toMinor } from '../../shared/money.ts'
import type { Db, Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { newId } from '../ids.ts'
import {
  EXTERNAL_ID,
  invalid,
  iso,
  notFound,
  patched,
  requireOwned,
  requireTenant,
  saveChanged,
  writeRow,
  type Target,
} from './common.ts'
import { withPayment } from './balance.ts'
import { loadInvoice, toInvoice, writeInvoice, type InvoiceRow } from './invoice-rows.ts'
import { pageByCursor } from './pages.ts'

interface PaymentRow {
  id: string
  tenant_id: string
  external_id: string | null
  invoice_id: string
  currency: string
  amount_minor: number
  date: string
  reference: string | null
  method: Payment['method']
  version: number
  created_at: number
  updated_at: number
}

export function toPayment(r: PaymentRow): Payment {
  return {
    id: r.id,
    externalId: r.external_id,
    invoiceId: r.invoice_id,
    currency: r.currency,
    amount: formatMinor(r.amount_minor, r.currency),
    date: r.date,
    reference: r.reference,
    method: r.method,
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }
}

function amountIn(amount: string, currency: string): number {
  try {
    return Number(toMinor(amount, currency))
  } catch (err) {
    throw invalid('amount', (err as Error).message)
  }
}

const PAYMENTS: Target<PaymentRow> = {
  table: 'payments',
  columns: [
    'id',
    'tenant_id',
    'external_id',
    'invoice_id',
    'currency',
    'amount_minor',
    'date',
    'reference',
    'method',
    'version',
    'created_at',
    'updated_at',
  ],
  noun: 'A payment',
  unique: [EXTERNAL_ID],
}

/** Payments move the invoice's amount paid, and with it the paid status, in the same transaction. */
export function createPayments(deps: { db: Db; now?: () => number }) {
  const { db } = deps
  const now = deps.now ?? Date.now

  async function record(
    tx: Queryable,
    tenantId: string,
    invoice: InvoiceRow,
    input: {
      amountMinor: number
      date: string
      reference?: string | undefined
      method: Payment['method']
      externalId?: string | undefined
    },
  ) {
    const t = now()
    const nextInvoice = withPayment(invoice, input.amountMinor, t)
    const row: PaymentRow = {
      id: newId('pay', t),
      tenant_id: tenantId,
      external_id: input.externalId ?? null,
      invoice_id: invoice.id,
      currency: invoice.currency,
      amount_minor: input.amountMinor,
      date: input.date,
      reference: input.reference ?? null,
      method: input.method,
      version: 1,
      created_at: t,
      updated_at: t,
    }
    await writeRow(tx, PAYMENTS, row, 'insert')
    await writeInvoice(tx, nextInvoice, 'update')
    return { payment: row, invoice: nextInvoice }
  }

  const load = async (q: Queryable, tenantId: string, id: string) => {
    const row = await q.get<PaymentRow>('SELECT * FROM payments WHERE id = ? AND tenant_id = ?', [
      id,
      tenantId,
    ])
    if (!row) throw notFound('payment')
    return row
  }

  return {
    async create(tenantId: string, input: z.output<typeof CreatePaymentSchema>): Promise<Payment> {
      return db.transaction(async (tx) => {
        await requireTenant(tx, tenantId)
        await requireOwned(tx, 'invoices', tenantId, input.invoiceId, 'invoiceId')
        const invoice = await loadInvoice(tx, tenantId, input.invoiceId)
        const { payment } = await record(tx, tenantId, invoice, {
          ...input,
          amountMinor: amountIn(input.amount, invoice.currency),
        })
        return toPayment(payment)
      })
    },

    /** The host marked the invoice paid: a payment of the whole amount due (after credits). */
    async markInvoicePaid(tenantId: string, invoiceId: string, input: z.output<typeof MarkPaidSchema>) {
      return db.transaction(async (tx) => {
        const invoice = await loadInvoice(tx, tenantId, invoiceId)
        if (invoice.status === 'paid')
          throw new AppError('invalid_state_change', { message: 'This invoice is already paid.' })
        const due = invoice.total_minor - invoice.amount_paid_minor - invoice.amount_credited_minor
        if (due <= 0)
          throw new AppError('invalid_state_change', { message: 'Nothing is due on this invoice.' })
        const date = input.date ?? new Date(now()).toISOString().slice(0, 10)
        const result = await record(tx, tenantId, invoice, { ...input, date, amountMinor: due })
        return { invoice: toInvoice(result.invoice), payment: toPayment(result.payment) }
      })
    },

    get: async (tenantId: string, id: string) => toPayment(await load(db, tenantId, id)),

    async list(
      tenantId: string,
      query: { limit: number; cursor?: string | undefined; invoiceId?: string | undefined },
    ) {
      await requireTenant(db, tenantId)
      const table = { table: 'payments', where: 'tenant_id = ?', args: [tenantId] }
      if (query.invoiceId) {
        table.where += ' AND invoice_id = ?'
        table.args.push(query.invoiceId)
      }
      return pageByCursor(db, table, query, toPayment)
    },

    async update(
      tenantId: string,
      id: string,
      patch: z.output<typeof UpdatePaymentSchema>,
    ): Promise<Payment> {
      return db.transaction(async (tx) => {
        const row = await load(tx, tenantId, id)
        const t = now()
        const next: PaymentRow = {
          ...row,
          amount_minor: patch.amount === undefined ? row.amount_minor : amountIn(patch.amount, row.currency),
          date: patch.date ?? row.date,
          reference: patched(patch.reference, row.reference),
          method: patch.method ?? row.method,
        }
        if (next.amount_minor !== row.amount_minor) {
          const invoice = await loadInvoice(tx, tenantId, row.invoice_id)
          await writeInvoice(tx, withPayment(invoice, next.amount_minor - row.amount_minor, t), 'update')
        }
        return toPayment(await saveChanged(tx, PAYMENTS, row, next, t))
      })
    },
  }
}

export type Payments = ReturnType<typeof createPayments>
