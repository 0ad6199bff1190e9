import type { Invoice, InvoiceStatus } from '../../shared/api/invoices.ts'
import type { CreateInvoiceSchema, UpdateInvoiceSchema } from '../../shared/api/invoices.ts'
import { formatMinor } from '../../shared/money.ts'
import type { z } from 'zod'
import type { Db, Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { newId } from '../ids.ts'
import {
  iso,
  isoOrNull,
  EXTERNAL_ID,
  writeRow,
  notFound,
  pageByCursor,
  requireOwned,
  requireTenant,
} from './common.ts'
import { priceLines, toLineInputs, toLines } from './lines.ts'

export interface InvoiceRow {
  id: string
  tenant_id: string
  external_id: string | null
  number: string
  customer_id: string
  currency: string
  issue_date: string
  due_date: string
  reference: string | null
  notes: string | null
  status: InvoiceStatus
  lines: string
  subtotal_minor: number
  tax_minor: number
  total_minor: number
  amount_paid_minor: number
  version: number
  sent_at: number | null
  paid_at: number | null
  created_at: number
  updated_at: number
}

export function toInvoice(r: InvoiceRow): Invoice {
  const money = (minor: number) => formatMinor(minor, r.currency)
  return {
    id: r.id,
    externalId: r.external_id,
    number: r.number,
    customerId: r.customer_id,
    currency: r.currency,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    reference: r.reference,
    notes: r.notes,
    status: r.status,
    lines: toLines(r.lines, r.currency),
    subtotal: money(r.subtotal_minor),
    taxTotal: money(r.tax_minor),
    total: money(r.total_minor),
    amountPaid: money(r.amount_paid_minor),
    amountDue: money(r.total_minor - r.amount_paid_minor),
    version: r.version,
    sentAt: isoOrNull(r.sent_at),
    paidAt: isoOrNull(r.paid_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }
}

/** The status changes a host may ask for; `paid` follows from payments only and `void` is final. */
const ALLOWED: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  draft: ['sent', 'void'],
  sent: ['void'],
  paid: [],
  void: [],
}

export function assertTransition(from: InvoiceStatus, to: InvoiceStatus, amountPaidMinor: number) {
  if (from === to) return
  if (!ALLOWED[from].includes(to))
    throw new AppError('invalid_state_change', { message: `A ${from} invoice cannot become ${to}.` })
  if (to === 'void' && amountPaidMinor > 0)
    throw new AppError('invalid_state_change', { message: 'An invoice with payments cannot be voided.' })
}

const COLUMNS = [
  'id',
  'tenant_id',
  'external_id',
  'number',
  'customer_id',
  'currency',
  'issue_date',
  'due_date',
  'reference',
  'notes',
  'status',
  'lines',
  'subtotal_minor',
  'tax_minor',
  'total_minor',
  'amount_paid_minor',
  'version',
  'sent_at',
  'paid_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof InvoiceRow)[]

const TARGET = {
  table: 'invoices',
  columns: COLUMNS,
  noun: 'An invoice',
  unique: [['number', 'number'], EXTERNAL_ID],
} as const

const write = (tx: Queryable, row: InvoiceRow, mode: 'insert' | 'update') => writeRow(tx, TARGET, row, mode)

export async function loadInvoice(db: Queryable, tenantId: string, id: string): Promise<InvoiceRow> {
  const row = await db.get<InvoiceRow>('SELECT * FROM invoices WHERE id = ? AND tenant_id = ?', [
    id,
    tenantId,
  ])
  if (!row) throw notFound('invoice')
  return row
}

/** Settles the paid status after the total or the amount paid changed. */
export function settle(row: InvoiceRow, t: number): InvoiceRow {
  if (row.status === 'draft' || row.status === 'void') return row
  const paid = row.total_minor > 0 && row.amount_paid_minor >= row.total_minor
  return { ...row, status: paid ? 'paid' : 'sent', paid_at: paid ? (row.paid_at ?? t) : null }
}

export function createInvoices(deps: { db: Db; now?: () => number }) {
  const { db } = deps
  const now = deps.now ?? Date.now

  return {
    async create(tenantId: string, input: z.output<typeof CreateInvoiceSchema>): Promise<Invoice> {
      return db.transaction(async (tx) => {
        await requireTenant(tx, tenantId)
        await requireOwned(tx, 'customers', tenantId, input.customerId, 'customerId')
        const t = now()
        const priced = priceLines(input.lines, input.currency)
        const row: InvoiceRow = {
          id: newId('inv', t),
          tenant_id: tenantId,
          external_id: input.externalId ?? null,
          number: input.number,
          customer_id: input.customerId,
          currency: input.currency,
          issue_date: input.issueDate,
          due_date: input.dueDate,
          reference: input.reference ?? null,
          notes: input.notes ?? null,
          status: input.status,
          lines: JSON.stringify(priced.lines),
          subtotal_minor: priced.subtotalMinor,
          tax_minor: priced.taxMinor,
          total_minor: priced.totalMinor,
          amount_paid_minor: 0,
          version: 1,
          sent_at: input.status === 'sent' ? t : null,
          paid_at: null,
          created_at: t,
          updated_at: t,
        }
        await write(tx, row, 'insert')
        return toInvoice(row)
      })
    },

    async get(tenantId: string, id: string): Promise<Invoice> {
      return toInvoice(await loadInvoice(db, tenantId, id))
    },

    async list(
      tenantId: string,
      query: {
        limit: number
        cursor?: string | undefined
        status?: InvoiceStatus | undefined
        customerId?: string | undefined
      },
    ) {
      await requireTenant(db, tenantId)
      let sql = 'SELECT * FROM invoices WHERE tenant_id = ?'
      const args: string[] = [tenantId]
      if (query.status) {
        sql += ' AND status = ?'
        args.push(query.status)
      }
      if (query.customerId) {
        sql += ' AND customer_id = ?'
        args.push(query.customerId)
      }
      const { rows, nextCursor } = await pageByCursor<InvoiceRow>(db, { sql, args }, query)
      return { data: rows.map(toInvoice), nextCursor }
    },

    async update(
      tenantId: string,
      id: string,
      patch: z.output<typeof UpdateInvoiceSchema>,
    ): Promise<Invoice> {
      return db.transaction(async (tx) => {
        const row = await loadInvoice(tx, tenantId, id)
        if (row.status === 'void')
          throw new AppError('invalid_state_change', { message: 'A void invoice cannot change.' })
        if (patch.customerId) await requireOwned(tx, 'customers', tenantId, patch.customerId, 'customerId')
        const t = now()
        const currency = patch.currency ?? row.currency
        let next: InvoiceRow = {
          ...row,
          number: patch.number ?? row.number,
          customer_id: patch.customerId ?? row.customer_id,
          currency,
          issue_date: patch.issueDate ?? row.issue_date,
          due_date: patch.dueDate ?? row.due_date,
          reference: patch.reference === undefined ? row.reference : patch.reference,
          notes: patch.notes === undefined ? row.notes : patch.notes,
        }
        if (next.due_date < next.issue_date)
          throw new AppError('validation_failed', {
            details: [{ path: 'dueDate', message: 'The due date cannot be before the issue date' }],
          })
        if (patch.lines || patch.currency) {
          if (row.amount_paid_minor > 0 && currency !== row.currency)
            throw new AppError('invalid_state_change', {
              message: 'An invoice with payments cannot change currency.',
            })
          const priced = priceLines(patch.lines ?? toLineInputs(row.lines), currency)
          if (priced.totalMinor < row.amount_paid_minor)
            throw new AppError('invalid_state_change', {
              message: 'The new total would be less than what has already been paid.',
            })
          next = {
            ...next,
            lines: JSON.stringify(priced.lines),
            subtotal_minor: priced.subtotalMinor,
            tax_minor: priced.taxMinor,
            total_minor: priced.totalMinor,
          }
        }
        if (patch.status && patch.status !== row.status) {
          assertTransition(row.status, patch.status, row.amount_paid_minor)
          next.status = patch.status
          if (patch.status === 'sent') next.sent_at = t
        }
        next = settle(next, t)
        if (JSON.stringify(next) === JSON.stringify(row)) return toInvoice(row)
        next = { ...next, version: row.version + 1, updated_at: t }
        await write(tx, next, 'update')
        return toInvoice(next)
      })
    },

    /** The host sent the invoice to its customer: the event that auto-sync listens for. */
    async markSent(tenantId: string, id: string): Promise<Invoice> {
      return db.transaction(async (tx) => {
        const row = await loadInvoice(tx, tenantId, id)
        if (row.status !== 'draft') {
          if (row.status === 'sent') return toInvoice(row)
          throw new AppError('invalid_state_change', { message: `A ${row.status} invoice cannot be sent.` })
        }
        const t = now()
        const next: InvoiceRow = {
          ...row,
          status: 'sent',
          sent_at: t,
          version: row.version + 1,
          updated_at: t,
        }
        await write(tx, next, 'update')
        return toInvoice(next)
      })
    },
  }
}

export type Invoices = ReturnType<typeof createInvoices>
export { write as writeInvoice }
