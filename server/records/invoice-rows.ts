import type { InvoiceRecord as Invoice, InvoiceStatus } from '../../shared/api/invoices.ts'
import { formatMinor } from '../../shared/money.ts'
import type { Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { EXTERNAL_ID, iso, isoOrNull, notFound, writeRow, type Target } from './common.ts'
import { toLines } from './lines.ts'

/** An invoice as stored, plus what its credit notes credit (summed from them, never stored). */
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
  amount_credited_minor: number
  version: number
  /** The version at which what is posted of it last changed (not moved by payments and credits). */
  push_version: number
  sent_at: number | null
  paid_at: number | null
  created_at: number
  updated_at: number
}

/** The columns to read an invoice with: a credit note counts from creation until it is voided. */
export const INVOICE_COLUMNS = `invoices.*, (SELECT COALESCE(SUM(c.total_minor), 0) FROM credit_notes c
  WHERE c.invoice_id = invoices.id AND c.status != 'void') AS amount_credited_minor`

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
    amountCredited: money(r.amount_credited_minor),
    amountDue: money(r.total_minor - r.amount_paid_minor - r.amount_credited_minor),
    version: r.version,
    sentAt: isoOrNull(r.sent_at),
    paidAt: isoOrNull(r.paid_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }
}

export const INVOICES: Target<InvoiceRow> = {
  table: 'invoices',
  columns: [
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
    'push_version',
    'sent_at',
    'paid_at',
    'created_at',
    'updated_at',
  ],
  noun: 'An invoice',
  unique: [['number', 'number'], EXTERNAL_ID],
}

export const writeInvoice = (tx: Queryable, row: InvoiceRow, mode: 'insert' | 'update') =>
  writeRow(tx, INVOICES, row, mode)

export async function loadInvoice(db: Queryable, tenantId: string, id: string): Promise<InvoiceRow> {
  const row = await db.get<InvoiceRow>(
    `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id = ? AND tenant_id = ?`,
    [id, tenantId],
  )
  if (!row) throw notFound('invoice')
  return row
}

/** What the provider is sent of an invoice: paid or not is its payments' business, not the invoice's. */
const posted = (r: InvoiceRow) =>
  JSON.stringify([
    r.number,
    r.customer_id,
    r.currency,
    r.issue_date,
    r.due_date,
    r.reference,
    r.notes,
    r.lines,
    r.status === 'paid' ? 'sent' : r.status,
  ])

/** `next` with its push version moved to the version it is about to be saved at, when what is posted changed. */
export function withPushVersion(row: InvoiceRow, next: InvoiceRow): InvoiceRow {
  return posted(next) === posted(row) ? next : { ...next, push_version: row.version + 1 }
}

/** Settles the paid status after the total, the amount paid or the amount credited changed. */
export function settle(row: InvoiceRow, t: number): InvoiceRow {
  if (row.status === 'draft' || row.status === 'void') return row
  const covered = row.amount_paid_minor + row.amount_credited_minor
  const paid = row.total_minor > 0 && covered >= row.total_minor
  return { ...row, status: paid ? 'paid' : 'sent', paid_at: paid ? (row.paid_at ?? t) : null }
}

/** The status changes a host may ask for; `paid` follows from payments and credits, `void` is final. */
const ALLOWED: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  draft: ['sent', 'void'],
  sent: ['void'],
  paid: [],
  void: [],
}

export function assertTransition(row: InvoiceRow, to: InvoiceStatus) {
  const from = row.status
  if (from === to) return
  if (!ALLOWED[from].includes(to))
    throw new AppError('invalid_state_change', { message: `A ${from} invoice cannot become ${to}.` })
  if (to === 'void' && row.amount_paid_minor > 0)
    throw new AppError('invalid_state_change', { message: 'An invoice with payments cannot be voided.' })
  if (to === 'void' && row.amount_credited_minor > 0)
    throw new AppError('invalid_state_change', {
      message: 'An invoice with credit notes cannot be voided: void its credit notes first.',
    })
}
