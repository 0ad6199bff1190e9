import type { ProviderErrorKind } from '../provider.ts'
import { ProviderError } from '../provider.ts'
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
import { centsToNumber, minorToCents, xeroToMinor } from './money.ts'
import type {
  XeroAccountRaw,
  XeroAllocationRaw,
  XeroAllocationWrite,
  XeroContactWrite,
  XeroCreditNoteRaw,
  XeroCreditNoteVoid,
  XeroCreditNoteWrite,
  XeroInvoiceRaw,
  XeroInvoiceWrite,
  XeroLineItemRaw,
  XeroLineItemWrite,
  XeroLinesWrite,
  XeroPaymentRaw,
  XeroPaymentWrite,
  XeroTaxRateRaw,
} from './wire.ts'

/** Pure translations between the sync contract and Xero's wire format (wire.ts). */

/** An answer or an input Xero's format cannot carry. */
const invalid = (message: string) => new ProviderError('xero', 'validation', message)

/** Sent when a line names no tax rate, so Xero does not fall back to the account's default rate. */
const NO_TAX = 'NONE'

/**
 * Xero invoices and credit notes have no notes field: the notes travel as a description-only line
 * after ours (a line "with just a description" is how the spec lets text stand on a document). It
 * carries no account code, which is how it is told apart from our lines on the way back.
 */
const isOurLine = (l: XeroLineItemRaw) => Boolean(l.AccountCode)

/**
 * The lines of a sales document, an invoice's or a credit note's (they are built alike): each with
 * its LineItemID once Xero has one, so Xero updates the line instead of replacing it (XR-D06).
 */
export function toXeroLines(
  doc: Pick<InvoiceInput, 'lines' | 'notes' | 'amounts' | 'currency'>,
): XeroLinesWrite {
  const untaxed = doc.lines.every((l) => l.taxRateRef === null)
  const lines: XeroLineItemWrite[] = doc.lines.map((l) => ({
    ...(l.providerLineId ? { LineItemID: l.providerLineId } : {}),
    ...(l.description ? { Description: l.description } : {}),
    Quantity: Number(l.quantity),
    UnitAmount: Number(l.unitPrice),
    AccountCode: l.accountRef,
    ...(untaxed ? {} : { TaxType: l.taxRateRef ?? NO_TAX }),
    ...(l.discountRate !== null ? { DiscountRate: Number(l.discountRate) } : {}),
    ...(l.discountMinor !== null
      ? { DiscountAmount: centsToNumber(minorToCents(l.discountMinor, doc.currency)) }
      : {}),
  }))
  if (doc.notes) lines.push({ Description: doc.notes })
  return {
    // Set on purpose from the source document, never left to Xero's default (CERTIFICATION XR-X04).
    LineAmountTypes: untaxed ? 'NoTax' : doc.amounts === 'tax_inclusive' ? 'Inclusive' : 'Exclusive',
    LineItems: lines,
  }
}

/** Our lines' ids, in order, and the totals: what invoices and credit notes answer alike. */
function fromXeroLines(
  raw: Pick<XeroInvoiceRaw, 'LineItems' | 'SubTotal' | 'TotalTax' | 'Total'>,
  currency: string,
): Pick<ProviderInvoice, 'lineIds' | 'totals'> {
  return {
    lineIds: (raw.LineItems ?? []).filter(isOurLine).map((l) => l.LineItemID ?? ''),
    totals: {
      subtotalMinor: xeroToMinor(raw.SubTotal, currency),
      taxMinor: xeroToMinor(raw.TotalTax, currency),
      totalMinor: xeroToMinor(raw.Total, currency),
    },
  }
}

export function toXeroInvoice(input: InvoiceInput): XeroInvoiceWrite {
  const { LineAmountTypes, LineItems } = toXeroLines(input)
  return {
    ...(input.existing ? { InvoiceID: input.existing.id } : {}),
    Type: 'ACCREC',
    Contact: { ContactID: input.contact.id },
    InvoiceNumber: input.number,
    ...(input.reference ? { Reference: input.reference } : {}),
    CurrencyCode: input.currency,
    Date: input.issueDate,
    ...(input.dueDate ? { DueDate: input.dueDate } : {}),
    LineAmountTypes,
    // A pushed invoice has been issued in the host: a real receivable (CERTIFICATION XR-D08).
    Status: 'AUTHORISED',
    LineItems,
  }
}

/** Paid (even in part), credited or voided: Xero refuses edits (PROVIDERS 1.6). */
function isLocked(raw: XeroInvoiceRaw): boolean {
  return (
    ['PAID', 'VOIDED', 'DELETED'].includes(raw.Status ?? '') ||
    (raw.AmountPaid ?? 0) > 0 ||
    (raw.AmountCredited ?? 0) > 0
  )
}

export function fromXeroInvoice(raw: XeroInvoiceRaw, fallbackCurrency?: string): ProviderInvoice {
  const currency = raw.CurrencyCode ?? fallbackCurrency
  if (!raw.InvoiceID || !currency) throw invalid('Xero answered an invoice without InvoiceID or CurrencyCode')
  return {
    id: raw.InvoiceID,
    version: null,
    number: raw.InvoiceNumber ?? '',
    status: raw.Status ?? '',
    ...fromXeroLines(raw, currency),
    locked: isLocked(raw),
  }
}

/**
 * A sales credit note, or its void: the id and the status alone. Xero credit notes take no
 * discounts ([spec] LineItem.DiscountRate: "credit notes in Xero do not support discounts"), so a
 * discounted line fails its note here rather than landing at other figures than ours; and a note
 * never sent has no copy at Xero to void.
 */
export function toXeroCreditNote(input: CreditNoteInput): XeroCreditNoteWrite | XeroCreditNoteVoid {
  if (input.voided) {
    if (input.existing) return { CreditNoteID: input.existing.id, Status: 'VOIDED' }
    throw invalid(`Credit note ${input.number} was voided before it reached Xero: no copy there to void`)
  }
  const discounted = input.lines.findIndex((l) => l.discountRate !== null || l.discountMinor !== null)
  if (discounted >= 0)
    throw invalid(`Xero credit notes take no discounts: line ${discounted + 1} of ${input.number} has one`)
  const { LineAmountTypes, LineItems } = toXeroLines(input)
  return {
    ...(input.existing ? { CreditNoteID: input.existing.id } : {}),
    Type: 'ACCRECCREDIT',
    Contact: { ContactID: input.contact.id },
    CreditNoteNumber: input.number,
    ...(input.reference ? { Reference: input.reference } : {}),
    CurrencyCode: input.currency,
    Date: input.issueDate,
    LineAmountTypes,
    Status: 'AUTHORISED',
    LineItems,
  }
}

export function fromXeroCreditNote(raw: XeroCreditNoteRaw, fallbackCurrency?: string): ProviderCreditNote {
  const currency = raw.CurrencyCode ?? fallbackCurrency
  if (!raw.CreditNoteID || !currency)
    throw invalid('Xero answered a credit note without CreditNoteID or CurrencyCode')
  const { lineIds, totals } = fromXeroLines(raw, currency)
  const remainingMinor = xeroToMinor(raw.RemainingCredit, currency)
  return {
    id: raw.CreditNoteID,
    version: null,
    number: raw.CreditNoteNumber ?? '',
    status: raw.Status ?? '',
    lineIds,
    totals,
    remainingMinor,
    // Allocated (even in part, or refunded), fully used (PAID) or voided: Xero refuses edits.
    locked: ['PAID', 'VOIDED', 'DELETED'].includes(raw.Status ?? '') || remainingMinor < totals.totalMinor,
  }
}

export function toXeroAllocation(a: AllocationInput): XeroAllocationWrite {
  return {
    Invoice: { InvoiceID: a.invoice.id },
    Amount: centsToNumber(minorToCents(a.amountMinor, a.currency)),
    Date: a.date,
  }
}

/** `creditNoteId`: the note it was read from or written to, for an answer that leaves it out. */
export function fromXeroAllocation(
  raw: XeroAllocationRaw,
  currency: string,
  creditNoteId: string,
): ProviderAllocation {
  const invoiceId = raw.Invoice?.InvoiceID
  if (!invoiceId || typeof raw.Amount !== 'number')
    throw invalid('Xero answered an allocation without Invoice or Amount')
  return {
    // Newer versions of the API give allocations an AllocationID; older answers leave it out.
    id: raw.AllocationID ?? null,
    creditNoteId: raw.CreditNote?.CreditNoteID ?? creditNoteId,
    invoiceId,
    amountMinor: xeroToMinor(raw.Amount, currency),
  }
}

/**
 * Xero payments have no method field ([spec] Payment): the method is not sent, and the account the
 * payment goes to is what tells a card from a bank transfer in Xero. Nor a contact: Xero takes it
 * from the invoice.
 */
export function toXeroPayment(p: PaymentInput): XeroPaymentWrite {
  return {
    Invoice: { InvoiceID: p.invoice.id },
    Account: { AccountID: p.account.id },
    Date: p.date,
    Amount: centsToNumber(minorToCents(p.amountMinor, p.currency)),
    ...(p.reference ? { Reference: p.reference } : {}),
  }
}

/** `fallbackCurrency`: the invoice's, for an answer whose Invoice leaves out its CurrencyCode. */
export function fromXeroPayment(raw: XeroPaymentRaw, fallbackCurrency?: string): ProviderPayment {
  const currency = raw.Invoice?.CurrencyCode ?? fallbackCurrency
  const invoiceId = raw.Invoice?.InvoiceID
  if (!raw.PaymentID || !invoiceId || !raw.Date || typeof raw.Amount !== 'number' || !currency)
    throw invalid('Xero answered a payment without PaymentID, Invoice, Date, Amount or CurrencyCode')
  return {
    id: raw.PaymentID,
    version: null,
    url: null,
    invoiceId,
    amountMinor: xeroToMinor(raw.Amount, currency),
    date: raw.Date,
    // Xero answers an empty Reference for none.
    reference: raw.Reference || null,
  }
}

/**
 * What an element's ValidationErrors mean. Xero gives elements no error codes, only messages, so
 * its documented texts are matched here and nowhere else: a payment or credit note applied, or a
 * status that takes no edits (PAID, VOIDED), is 'locked'; a duplicate number or name 'conflict'.
 */
const KIND_BY_MESSAGE: [RegExp, ProviderErrorKind][] = [
  [/cannot be edited as it has a payment or credit note allocated/i, 'locked'],
  [/not of valid status for modification/i, 'locked'],
  [/must be unique/i, 'conflict'],
  [/is already assigned to another contact/i, 'conflict'],
]

export function elementError(
  element: { ValidationErrors?: { Message: string }[] | null | undefined },
  correlationId: string | null,
): ProviderError {
  const messages = (element.ValidationErrors ?? []).map((e) => e.Message)
  const message = messages.join(' ') || 'Xero refused the element without a message'
  const kind = KIND_BY_MESSAGE.find(([pattern]) => messages.some((m) => pattern.test(m)))?.[1]
  return new ProviderError('xero', kind ?? 'validation', message, { correlationId })
}

export const elementFailed = (e: { StatusAttributeString?: string | null | undefined }) =>
  e.StatusAttributeString === 'ERROR'

export function toXeroContact(c: ContactInput): XeroContactWrite {
  return {
    // An update changes what the customer owns (name, email, phone) and leaves the contact's
    // number and currency as they are: a contact we matched may carry the bookkeeper's own.
    ...(c.existing ? { ContactID: c.existing.id } : { ContactNumber: c.reference }),
    Name: c.name.trim(),
    // ContactNumber is Xero's API-only external key (PROVIDERS 1.6): our reference lives there.
    ...(c.email ? { EmailAddress: c.email } : {}),
    ...(c.currency && !c.existing ? { DefaultCurrency: c.currency } : {}),
    ...(c.phone ? { Phones: [{ PhoneType: 'DEFAULT' as const, PhoneNumber: c.phone }] } : {}),
  }
}

/** Trim, collapse inner spaces, ignore case: how a bookkeeper would say two names are the same. */
export const normaliseName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase()

export function fromXeroAccount(a: XeroAccountRaw): ProviderAccount {
  const revenue = (a.Class ?? '') === 'REVENUE' && !a.SystemAccount
  return {
    id: a.AccountID,
    code: a.Code ?? null,
    name: a.Name,
    kind: a.Type === 'BANK' ? 'bank' : revenue ? 'revenue' : 'other',
    active: a.Status === 'ACTIVE',
    // Payments go to a bank account or one with payments enabled (CERTIFICATION XR-M05).
    acceptsPayments: a.Type === 'BANK' || a.EnablePaymentsToAccount === true,
  }
}

export function fromXeroTaxRate(r: XeroTaxRateRaw): ProviderTaxRate {
  // The TaxType is what a line names; EffectiveRate is the combined rate Xero computes with.
  return { id: r.TaxType, name: r.Name, rate: String(r.EffectiveRate), active: r.Status === 'ACTIVE' }
}
