import type { z } from 'zod'
import { formatMinor, toMinor } from '../../../shared/money.ts'
import type {
  AllocationInput,
  ContactInput,
  CreditNoteInput,
  InvoiceInput,
  PaymentInput,
  ProviderAccount,
  ProviderAllocation,
  ProviderCreditNote,
  ProviderInvoice,
  ProviderPayment,
  ProviderTaxRate,
} from '../sync-contract.ts'
import { SAGE_APP } from './facts.ts'
import { sageLine } from './totals.ts'
import type {
  SageBankAccountRaw,
  SageContactAllocationRaw,
  SageContactPaymentRaw,
  SageContactRaw,
  SageCreditNoteRaw,
  SageInvoicePaymentsRaw,
  SageInvoiceRaw,
  SageLedgerAccountRaw,
  SageTaxRateRaw,
} from './wire.ts'

/**
 * Pure mappings between the sync contract and Sage v3.1's wire shapes (wire.ts). Sage types money as JSON numbers in major
 * units; here it is integer minor units, converted exactly through decimal strings.
 */
/** Statuses Sage refuses edits in: a paid, part-paid (a credit note: allocated) or void document. */
const LOCKED_STATUSES = new Set(['PAID', 'PART_PAID', 'VOID'])

/** A JSON number from Sage as minor units; more precision than the currency has is Sage's change. */
export function minorFrom(amount: number, currency: string): bigint {
  if (!Number.isFinite(amount)) throw new RangeError(`not an amount: ${amount}`)
  const text = amount.toFixed(6).replace(/\.?0+$/, '')
  return toMinor(text, currency)
}

const amount = (minor: bigint, currency: string) => Number(formatMinor(minor, currency))

/**
 * The record's page in Sage's web app, as Sage's answer links it (facts.ts SAGE_APP): only an
 * http(s) address, so an odd answer cannot put another kind of link behind the badge.
 */
export function webLinkOf(raw: Pick<SageContactRaw, 'links'>): string | null {
  const link = raw.links?.find((l) => l.rel === SAGE_APP.rel && l.type === SAGE_APP.type)
  if (!link || !URL.canParse(link.href)) return null
  return ['http:', 'https:'].includes(new URL(link.href).protocol) ? link.href : null
}

export function toSageContact(c: ContactInput) {
  return {
    contact: {
      name: c.name,
      // An update (PUT) changes what the customer owns and leaves the type, the reference (a
      // contact we matched may carry the bookkeeper's own) and the currency as they are.
      ...(c.existing
        ? {}
        : {
            contact_type_ids: ['CUSTOMER'],
            reference: c.reference,
            ...(c.currency ? { currency_id: c.currency } : {}),
          }),
      // Sage files e-mail and telephone under the contact person, and searches `email` there.
      main_contact_person: {
        name: c.name,
        is_main_contact: true,
        ...(c.email ? { email: c.email } : {}),
        ...(c.phone ? { telephone: c.phone } : {}),
      },
    },
  }
}

export function fromSageContact(raw: SageContactRaw) {
  return {
    id: raw.id,
    url: webLinkOf(raw),
    name: raw.name ?? '',
    reference: raw.reference ?? null,
    email: raw.main_contact_person?.email ?? raw.email ?? null,
  }
}

/**
 * Lines as `invoice_lines` and `credit_note_lines` both take them (one v3.1 line schema). On an
 * update `currentLineIds` are the document's lines at Sage: one we still have is sent with its id
 * (Sage updates it and keeps the id), the others as `{ id, _destroy: true }`, so they go at Sage too.
 */
function toSageLines(doc: Pick<InvoiceInput, 'lines' | 'currency' | 'amounts'>, currentLineIds: string[]) {
  const cur = doc.currency
  const kept = new Set<string>()
  const lines = doc.lines.map((l) => {
    const id = l.providerLineId && currentLineIds.includes(l.providerLineId) ? l.providerLineId : null
    if (id) kept.add(id)
    // A rate is sent as the amount it takes off too, so Sage applies no rounding of its own to it.
    const discountMinor =
      l.discountMinor ??
      (l.discountRate === null ? null : sageLine({ ...l, taxRate: null }, cur, doc.amounts).discountMinor)
    return {
      ...(id ? { id } : {}),
      description: l.description,
      ledger_account_id: l.accountRef,
      quantity: Number(l.quantity),
      unit_price: Number(l.unitPrice),
      unit_price_includes_tax: doc.amounts === 'tax_inclusive',
      ...(l.taxRateRef ? { tax_rate_id: l.taxRateRef, tax_amount: amount(l.taxMinor, cur) } : {}),
      ...(l.discountRate !== null ? { discount_percentage: Number(l.discountRate) } : {}),
      ...(discountMinor !== null ? { discount_amount: amount(discountMinor, cur) } : {}),
    }
  })
  const dropped = currentLineIds.filter((id) => !kept.has(id)).map((id) => ({ id, _destroy: true }))
  return [...lines, ...dropped]
}

/** The create or update body; `currentLineIds` as for `toSageLines`. */
export function toSageInvoice(inv: InvoiceInput, currentLineIds: string[] = []) {
  return {
    sales_invoice: {
      contact_id: inv.contact.id,
      invoice_number: inv.number,
      date: inv.issueDate,
      ...(inv.dueDate ? { due_date: inv.dueDate } : {}),
      reference: inv.reference ?? '',
      notes: inv.notes ?? '',
      currency_id: inv.currency,
      invoice_lines: toSageLines(inv, currentLineIds),
    },
  }
}

/** `credit_note_number` is ours, as `invoice_number` is: v3.1 takes it, and refuses one already taken. */
export function toSageCreditNote(note: CreditNoteInput, currentLineIds: string[] = []) {
  return {
    sales_credit_note: {
      contact_id: note.contact.id,
      credit_note_number: note.number,
      date: note.issueDate,
      reference: note.reference ?? '',
      notes: note.notes ?? '',
      currency_id: note.currency,
      credit_note_lines: toSageLines(note, currentLineIds),
    },
  }
}

/** What an invoice and a credit note answer alike; `number` and `lines` under their own names. */
function fromSageDocument(
  raw: SageInvoiceRaw | SageCreditNoteRaw,
  number: string,
  lines: { id: string }[],
): ProviderInvoice {
  const cur = raw.currency.id
  return {
    id: raw.id,
    url: webLinkOf(raw),
    number,
    status: raw.status.id,
    lineIds: lines.map((l) => l.id),
    totals: {
      subtotalMinor: minorFrom(raw.net_amount, cur),
      taxMinor: minorFrom(raw.tax_amount, cur),
      totalMinor: minorFrom(raw.total_amount, cur),
    },
    locked: LOCKED_STATUSES.has(raw.status.id) || raw.editable === false,
  }
}

export const fromSageInvoice = (raw: SageInvoiceRaw): ProviderInvoice =>
  fromSageDocument(raw, raw.invoice_number, raw.invoice_lines)

export function fromSageCreditNote(raw: SageCreditNoteRaw): ProviderCreditNote {
  return {
    ...fromSageDocument(raw, raw.credit_note_number, raw.credit_note_lines),
    remainingMinor: minorFrom(raw.outstanding_amount, raw.currency.id),
  }
}

export function fromSageLedgerAccount(raw: z.infer<typeof SageLedgerAccountRaw>): ProviderAccount {
  return {
    id: raw.id,
    code: raw.nominal_code === null || raw.nominal_code === undefined ? null : String(raw.nominal_code),
    name: raw.name ?? raw.displayed_as,
    // What a sales line may post to is what Sage shows in Sales.
    kind: raw.visible_in_sales ? 'revenue' : 'other',
    // An account removed from the chart is Sage's archived account: lines posted to it are refused.
    active: raw.included_in_chart !== false,
    acceptsPayments: false,
  }
}

/** Payments go to a bank account (`bank_account_id`), not to its ledger account. */
export function fromSageBankAccount(raw: z.infer<typeof SageBankAccountRaw>): ProviderAccount {
  return {
    id: raw.id,
    code: raw.nominal_code === null || raw.nominal_code === undefined ? null : String(raw.nominal_code),
    name: raw.bank_account_details?.account_name ?? raw.displayed_as,
    kind: 'bank',
    active: true,
    acceptsPayments: true,
  }
}

export function fromSageTaxRate(raw: z.infer<typeof SageTaxRateRaw>): ProviderTaxRate {
  return {
    id: raw.id,
    name: raw.displayed_as,
    rate: String(raw.percentage),
    active: raw.is_visible !== false,
  }
}

/**
 * A customer receipt into the mapped bank account, all of it allocated to the one invoice (Sage
 * refuses an allocation above what the invoice has outstanding). Its currency is the invoice's;
 * without `exchange_rate` Sage converts at the business's rate for the day. `payment_method_id` is
 * left out: Sage's ids for it (GET /payment_methods) are not documented, and without one Sage
 * records its default method.
 */
export function toSagePayment(p: PaymentInput) {
  const total = amount(p.amountMinor, p.currency)
  return {
    contact_payment: {
      transaction_type_id: 'CUSTOMER_RECEIPT',
      contact_id: p.contact.id,
      bank_account_id: p.account.id,
      date: p.date,
      total_amount: total,
      currency_id: p.currency,
      ...(p.reference ? { reference: p.reference } : {}),
      allocated_artefacts: [{ artefact_id: p.invoice.id, amount: total }],
    },
  }
}

/** The receipt as applied to this invoice, or null when Sage did not allocate it there. */
export function fromSagePayment(raw: SageContactPaymentRaw, invoiceId: string): ProviderPayment | null {
  const allocated = raw.allocated_artefacts.find((a) => a.artefact.id === invoiceId)
  if (!allocated) return null
  return {
    id: raw.id,
    url: null,
    invoiceId,
    amountMinor: minorFrom(allocated.amount, raw.currency.id),
    date: raw.date,
    reference: raw.reference || null,
  }
}

/** The receipts settling an invoice; credit-note allocations (`contact_allocation`) are not payments. */
export function fromSageInvoicePayments(raw: SageInvoicePaymentsRaw): ProviderPayment[] {
  return raw.payments_allocations.flatMap((pa) =>
    pa.contact_payment
      ? [
          {
            id: pa.contact_payment.id,
            url: null,
            invoiceId: raw.id,
            amountMinor: minorFrom(pa.amount, raw.currency.id),
            date: pa.date,
            reference: pa.reference || null,
          },
        ]
      : [],
  )
}

/** Sage signs the invoice (debit) positive and the credit note negative; they sum to zero. */
export function toSageAllocation(a: AllocationInput) {
  const allocated = amount(a.amountMinor, a.currency)
  return {
    contact_allocation: {
      transaction_type_id: 'CUSTOMER_ALLOCATION',
      contact_id: a.contact.id,
      date: a.date,
      allocated_artefacts: [
        { artefact_id: a.invoice.id, amount: allocated },
        { artefact_id: a.creditNote.id, amount: -allocated },
      ],
    },
  }
}

/**
 * What of this credit note a contact_allocation sets against each invoice. One made in Sage may set
 * several documents off at once: the note's share goes to the invoices (the positive artefacts) in
 * their order, each up to its own amount.
 */
export function fromSageAllocation(
  raw: SageContactAllocationRaw,
  creditNoteId: string,
  currency: string,
): ProviderAllocation[] {
  const ours = raw.allocated_artefacts.find((a) => a.artefact.id === creditNoteId)
  let left = ours ? -minorFrom(ours.amount, currency) : 0n
  const out: ProviderAllocation[] = []
  for (const a of raw.allocated_artefacts) {
    const invoiceMinor = minorFrom(a.amount, currency)
    if (invoiceMinor <= 0n || left <= 0n) continue
    const amountMinor = invoiceMinor < left ? invoiceMinor : left
    left -= amountMinor
    out.push({ id: raw.id, creditNoteId, invoiceId: a.artefact.id, amountMinor })
  }
  return out
}
