import type { ProviderErrorKind } from '../provider.ts'
import { ProviderError } from '../provider.ts'
import type {
  ContactInput,
  InvoiceInput,
  PaymentInput,
  ProviderAccount,
  ProviderInvoice,
  ProviderPayment,
  ProviderTaxRate,
} from '../sync-contract.ts'
import { centsToNumber, minorToCents, xeroToMinor } from './money.ts'
import type {
  XeroAccountRaw,
  XeroContactWrite,
  XeroInvoiceRaw,
  XeroInvoiceWrite,
  XeroLineItemRaw,
  XeroLineItemWrite,
  XeroPaymentRaw,
  XeroPaymentWrite,
  XeroTaxRateRaw,
} from './wire.ts'

/** Pure translations between the sync contract and Xero's wire format (wire.ts). */

/** Sent when a line names no tax rate, so Xero does not fall back to the account's default rate. */
const NO_TAX = 'NONE'

/**
 * Xero invoices have no notes field: the notes travel as a description-only line after ours (a
 * line "with just a description" is how the spec lets text stand on an invoice). It carries no
 * account code, which is how it is told apart from our lines on the way back.
 */
const isOurLine = (l: XeroLineItemRaw) => Boolean(l.AccountCode)

export function toXeroInvoice(input: InvoiceInput): XeroInvoiceWrite {
  const untaxed = input.lines.every((l) => l.taxRateRef === null)
  const lines: XeroLineItemWrite[] = input.lines.map((l) => ({
    ...(l.providerLineId ? { LineItemID: l.providerLineId } : {}),
    ...(l.description ? { Description: l.description } : {}),
    Quantity: Number(l.quantity),
    UnitAmount: Number(l.unitPrice),
    AccountCode: l.accountRef,
    ...(untaxed ? {} : { TaxType: l.taxRateRef ?? NO_TAX }),
    ...(l.discountRate !== null ? { DiscountRate: Number(l.discountRate) } : {}),
    ...(l.discountMinor !== null
      ? { DiscountAmount: centsToNumber(minorToCents(l.discountMinor, input.currency)) }
      : {}),
  }))
  if (input.notes) lines.push({ Description: input.notes })
  return {
    ...(input.existing ? { InvoiceID: input.existing.id } : {}),
    Type: 'ACCREC',
    Contact: { ContactID: input.contact.id },
    InvoiceNumber: input.number,
    ...(input.reference ? { Reference: input.reference } : {}),
    CurrencyCode: input.currency,
    Date: input.issueDate,
    ...(input.dueDate ? { DueDate: input.dueDate } : {}),
    // Set on purpose from the source document, never left to Xero's default (CERTIFICATION XR-X04).
    LineAmountTypes: untaxed ? 'NoTax' : input.amounts === 'tax_inclusive' ? 'Inclusive' : 'Exclusive',
    // A pushed invoice has been issued in the host: a real receivable (CERTIFICATION XR-D08).
    Status: 'AUTHORISED',
    LineItems: lines,
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
  if (!raw.InvoiceID || !currency) {
    throw new ProviderError(
      'xero',
      'validation',
      'Xero answered an invoice without InvoiceID or CurrencyCode',
    )
  }
  return {
    id: raw.InvoiceID,
    version: null,
    url: null,
    number: raw.InvoiceNumber ?? '',
    status: raw.Status ?? '',
    lineIds: (raw.LineItems ?? []).filter(isOurLine).map((l) => l.LineItemID ?? ''),
    totals: {
      subtotalMinor: xeroToMinor(raw.SubTotal, currency),
      taxMinor: xeroToMinor(raw.TotalTax, currency),
      totalMinor: xeroToMinor(raw.Total, currency),
    },
    locked: isLocked(raw),
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
  if (!raw.PaymentID || !invoiceId || !raw.Date || typeof raw.Amount !== 'number' || !currency) {
    throw new ProviderError(
      'xero',
      'validation',
      'Xero answered a payment without PaymentID, Invoice, Date, Amount or CurrencyCode',
    )
  }
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
