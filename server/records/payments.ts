import type { z } from 'zod'
import type {
  CreatePaymentSchema,
  MarkPaidSchema,
  PaymentRecord as Payment,
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
  isoOrNull,
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
  /** Set when the host removed it: it no longer counts, and the provider's copy is removed. */
  removed_at: number | null
  /** `provider`: entered in the accounting software and brought back (server/sync/flow-back.ts). */
  origin: 'host' | 'provider'
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
    removedAt: isoOrNull(r.removed_at),
    origin: r.origin,
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
    'removed_at',
    'origin',
  ],
  noun: 'A payment',
  unique: [EXTERNAL_ID],
}

/**
 * Where a payment's push is queued: inside the transaction that records, changes or removes it
 * (so a crash between the two loses nothing), then `committed()` wakes this process's workers.
 */
export interface PaymentOutbox {
  paymentChanged(tx: Queryable, tenantId: string, paymentId: string): Promise<void>
  committed(): void
}

/** Payments move the invoice's amount paid, and with it the paid status, in the same transaction. */
export function createPayments(deps: { db: Db; now?: () => number; outbox?: PaymentOutbox }) {
  const { db, outbox } = deps
  const now = deps.now ?? Date.now

  /** Runs a write of one payment and queues its push in the same transaction. */
  async function writing<T extends { payment: PaymentRow }>(
    tenantId: string,
    work: (tx: Queryable) => Promise<T>,
  ) {
    const done = await db.transaction(async (tx) => {
      const result = await work(tx)
      if (outbox) await outbox.paymentChanged(tx, tenantId, result.payment.id)
      return result
    })
    outbox?.committed()
    return done
  }

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
      origin?: PaymentRow['origin']
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
      removed_at: null,
      origin: input.origin ?? 'host',
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

  async function removeIn(tx: Queryable, tenantId: string, id: string) {
    const row = await load(tx, tenantId, id)
    if (row.removed_at !== null) return { payment: row }
    const t = now()
    const invoice = await loadInvoice(tx, tenantId, row.invoice_id)
    await writeInvoice(tx, withPayment(invoice, -row.amount_minor, t), 'update')
    const next = { ...row, removed_at: t, version: row.version + 1, updated_at: t }
    await writeRow(tx, PAYMENTS, next, 'update')
    return { payment: next }
  }

  return {
    async create(tenantId: string, input: z.output<typeof CreatePaymentSchema>): Promise<Payment> {
      const { payment } = await writing(tenantId, async (tx) => {
        await requireTenant(tx, tenantId)
        await requireOwned(tx, 'invoices', tenantId, input.invoiceId, 'invoiceId')
        const invoice = await loadInvoice(tx, tenantId, input.invoiceId)
        return record(tx, tenantId, invoice, {
          ...input,
          amountMinor: amountIn(input.amount, invoice.currency),
        })
      })
      return toPayment(payment)
    },

    /** The host marked the invoice paid: a payment of the whole amount due (after credits). */
    async markInvoicePaid(tenantId: string, invoiceId: string, input: z.output<typeof MarkPaidSchema>) {
      const result = await writing(tenantId, async (tx) => {
        const invoice = await loadInvoice(tx, tenantId, invoiceId)
        if (invoice.status === 'paid')
          throw new AppError('invalid_state_change', { message: 'This invoice is already paid.' })
        const due = invoice.total_minor - invoice.amount_paid_minor - invoice.amount_credited_minor
        if (due <= 0)
          throw new AppError('invalid_state_change', { message: 'Nothing is due on this invoice.' })
        const date = input.date ?? new Date(now()).toISOString().slice(0, 10)
        return record(tx, tenantId, invoice, { ...input, date, amountMinor: due })
      })
      return { invoice: toInvoice(result.invoice), payment: toPayment(result.payment) }
    },

    get: async (tenantId: string, id: string) => toPayment(await load(db, tenantId, id)),

    async list(
      tenantId: string,
      query: { limit: number; cursor?: string | undefined; invoiceId?: string | undefined },
    ) {
      await requireTenant(db, tenantId)
      // A removed payment is gone from the list; reading it by id still tells when it was removed.
      const table = { table: 'payments', where: 'tenant_id = ? AND removed_at IS NULL', args: [tenantId] }
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
      const { payment } = await writing(tenantId, async (tx) => {
        const row = await load(tx, tenantId, id)
        if (row.removed_at !== null)
          throw new AppError('invalid_state_change', { message: 'A removed payment cannot change.' })
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
        return { payment: await saveChanged(tx, PAYMENTS, row, next, t) }
      })
      return toPayment(payment)
    },

    /**
     * The host removed the payment (it bounced, it was recorded by mistake): the invoice's amount
     * due comes back, and the provider's copy is removed where the provider allows. Removing it
     * again answers it as it is.
     */
    async remove(tenantId: string, id: string): Promise<Payment> {
      const { payment } = await writing(tenantId, (tx) => removeIn(tx, tenantId, id))
      return toPayment(payment)
    },

    /**
     * What the provider says, inside the caller's transaction and with no push queued (the
     * provider has it already): the caller links each payment to the provider's.
     */
    fromProvider: {
      /**
       * A payment entered in the accounting software against this invoice: recorded here as it is
       * there, or, when it cannot stand here (more than is due here, a void invoice), the reason.
       */
      async recorded(
        tx: Queryable,
        tenantId: string,
        invoiceId: string,
        input: { amountMinor: number; date: string; reference: string | null },
      ): Promise<{ payment: Payment } | { refused: string }> {
        const invoice = await loadInvoice(tx, tenantId, invoiceId)
        try {
          withPayment(invoice, input.amountMinor, now())
        } catch (err) {
          if (err instanceof AppError) return { refused: err.message }
          throw err
        }
        const { payment } = await record(tx, tenantId, invoice, {
          amountMinor: input.amountMinor,
          date: input.date,
          reference: input.reference ?? undefined,
          method: 'other',
          origin: 'provider',
        })
        return { payment: toPayment(payment) }
      },
      /** A payment removed in the accounting software: removed here too (the invoice's due comes back). */
      async removed(tx: Queryable, tenantId: string, id: string): Promise<Payment> {
        return toPayment((await removeIn(tx, tenantId, id)).payment)
      },
    },
  }
}

export type Payments = ReturnType<typeof createPayments>
