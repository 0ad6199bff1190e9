import type { CreditNoteRecord as CreditNote } from '../../shared/api/credit-notes.ts'
import { formatMinor } from '../../shared/money.ts'
import { EXTERNAL_ID, iso, isoOrNull, type Target } from './common.ts'
import { toLines } from './lines.ts'

export interface CreditNoteRow {
  id: string
  tenant_id: string
  external_id: string | null
  number: string
  customer_id: string
  invoice_id: string | null
  currency: string
  issue_date: string
  reference: string | null
  notes: string | null
  status: CreditNote['status']
  lines: string
  subtotal_minor: number
  tax_minor: number
  total_minor: number
  version: number
  sent_at: number | null
  created_at: number
  updated_at: number
}

export function toCreditNote(r: CreditNoteRow): CreditNote {
  return {
    id: r.id,
    externalId: r.external_id,
    number: r.number,
    customerId: r.customer_id,
    invoiceId: r.invoice_id,
    currency: r.currency,
    issueDate: r.issue_date,
    reference: r.reference,
    notes: r.notes,
    status: r.status,
    lines: toLines(r.lines, r.currency),
    subtotal: formatMinor(r.subtotal_minor, r.currency),
    taxTotal: formatMinor(r.tax_minor, r.currency),
    total: formatMinor(r.total_minor, r.currency),
    version: r.version,
    sentAt: isoOrNull(r.sent_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }
}

export const CREDIT_NOTES: Target<CreditNoteRow> = {
  table: 'credit_notes',
  columns: [
    'id',
    'tenant_id',
    'external_id',
    'number',
    'customer_id',
    'invoice_id',
    'currency',
    'issue_date',
    'reference',
    'notes',
    'status',
    'lines',
    'subtotal_minor',
    'tax_minor',
    'total_minor',
    'version',
    'sent_at',
    'created_at',
    'updated_at',
  ],
  noun: 'A credit note',
  unique: [['number', 'number'], EXTERNAL_ID],
}
