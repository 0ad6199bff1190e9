import type { ArtefactKind, ArtefactStatus } from '../types.ts'

/** The two sales documents differ only in names; the routes are one factory over this table. */
export const ARTEFACT_KINDS: Record<
  ArtefactKind,
  {
    collection: string
    root: string
    lines: string
    defaultPrefix: string
    numberField: string
    prefixField: string
    numberLabel: string
    transactionType: [string, string]
  }
> = {
  sales_invoice: {
    collection: 'sales_invoices',
    root: 'sales_invoice',
    lines: 'invoice_lines',
    defaultPrefix: 'SI-',
    numberField: 'invoice_number',
    prefixField: 'invoice_number_prefix',
    numberLabel: 'Invoice number',
    transactionType: ['SALES_INVOICE', 'Sales Invoice'],
  },
  sales_credit_note: {
    collection: 'sales_credit_notes',
    root: 'sales_credit_note',
    lines: 'credit_note_lines',
    defaultPrefix: 'SCN-',
    numberField: 'credit_note_number',
    prefixField: 'credit_note_number_prefix',
    numberLabel: 'Credit note number',
    transactionType: ['SALES_CREDIT_NOTE', 'Sales Credit Note'],
  },
}

export const STATUS_NAMES: Record<ArtefactStatus, string> = {
  DRAFT: 'Draft',
  UNPAID: 'Unpaid',
  PART_PAID: 'Part Paid',
  PAID: 'Paid',
  VOID: 'Void',
}

/** Status follows the outstanding amount, except for drafts and voids. */
export function statusFor(
  current: ArtefactStatus,
  totalMinor: number,
  outstandingMinor: number,
): ArtefactStatus {
  if (current === 'DRAFT' || current === 'VOID') return current
  if (outstandingMinor === 0 && totalMinor > 0) return 'PAID'
  return outstandingMinor < totalMinor ? 'PART_PAID' : 'UNPAID'
}
