import { divRound, parseDecimal } from '../../../shared/money.ts'
import { ProviderError } from '../provider.ts'
import type {
  ContactInput,
  ContactMatch,
  InvoiceInput,
  InvoiceLineInput,
  PaymentInput,
  ProviderAccount,
  ProviderInvoice,
  ProviderItem,
  ProviderPayment,
  ProviderTaxRate,
} from '../sync-contract.ts'
import { lineBaseMinor } from './totals.ts'
import type {
  QboAccountRaw,
  QboCustomerRaw,
  QboInvoiceRaw,
  QboItemRaw,
  QboPaymentRaw,
  QboTaxCodeRaw,
  QboTaxRateRaw,
} from './wire.ts'

/** Pure maps between the sync contract and QBO's wire format (wire.ts); no I/O. */

/** Cents as the JSON number QBO reads (two decimals at most, so the number is exact in text). */
export const centsToAmount = (minor: bigint): number => Number(minor) / 100
/** A QBO amount (JSON number, two decimals) in cents. */
export const amountToCents = (amount: number | undefined): bigint => BigInt(Math.round((amount ?? 0) * 100))

/** Unit prices carry up to 7 decimals in QBO (Intuit: "Rate/Unit Price … precision of seven"). */
const UNIT_PRICE_DECIMALS = 7

/** Collapses whitespace and case, so "ACME  Ltd " and "Acme Ltd" are one customer. */
export const normaliseName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase()

/**
 * A Customer to create, or (with `existing` and the SyncToken to write at) a sparse update of its
 * name, email and phone: fields left out stay as they are.
 */
export function toQboCustomer(
  contact: ContactInput,
  syncToken: string | null = null,
): Record<string, unknown> {
  return {
    ...(contact.existing ? { Id: contact.existing.id, SyncToken: syncToken ?? '', sparse: true } : {}),
    DisplayName: contact.name.trim().replace(/\s+/g, ' '),
    ...(contact.email ? { PrimaryEmailAddr: { Address: contact.email } } : {}),
    ...(contact.phone ? { PrimaryPhone: { FreeFormNumber: contact.phone } } : {}),
    // Set once: QBO refuses to change a customer's currency later (PROVIDERS 2.7).
    ...(contact.currency && !contact.existing ? { CurrencyRef: { value: contact.currency } } : {}),
  }
}

export function fromQboCustomer(raw: QboCustomerRaw, matchedBy: ContactMatch['matchedBy']): ContactMatch {
  return {
    id: raw.Id,
    version: raw.SyncToken,
    name: raw.DisplayName,
    email: raw.PrimaryEmailAddr?.Address ?? null,
    matchedBy,
  }
}

function scaled(value: bigint, scale: number): number {
  const negative = value < 0n
  const text = (negative ? -value : value).toString().padStart(scale + 1, '0')
  return Number(`${negative ? '-' : ''}${text.slice(0, -scale)}.${text.slice(-scale)}`)
}

/**
 * One invoice line. QBO's discount is a whole-document line (DiscountLineDetail), so a line's own
 * discount is folded into it: Amount is the discounted cents, UnitPrice the discounted price to 7
 * decimals (Qty × UnitPrice still rounds to Amount, which QBO checks: 6070), and the description
 * says what was taken off.
 */
function toQboLine(line: InvoiceLineInput): Record<string, unknown> {
  if (!line.itemRef)
    // A line without ItemRef is "documentation" and its Amount is ignored (Finance.xsd ItemLineDetail).
    throw new ProviderError(
      'quickbooks',
      'validation',
      `line ${line.lineId} has no QuickBooks product or service`,
    )
  const amount = lineBaseMinor({ ...line, taxRate: null })
  const discounted = line.discountRate !== null || line.discountMinor !== null
  const q = parseDecimal(line.quantity)
  let unitPrice = Number(line.unitPrice)
  if (discounted && q.value !== 0n)
    unitPrice = scaled(
      divRound(amount * 10n ** BigInt(UNIT_PRICE_DECIMALS - 2 + q.scale), q.value),
      UNIT_PRICE_DECIMALS,
    )
  const less =
    line.discountRate !== null
      ? ` (less ${line.discountRate}% of ${line.unitPrice})`
      : line.discountMinor !== null
        ? ` (less ${centsToAmount(line.discountMinor).toFixed(2)} of ${line.quantity} × ${line.unitPrice})`
        : ''
  return {
    ...(line.providerLineId ? { Id: line.providerLineId } : {}),
    DetailType: 'SalesItemLineDetail',
    Amount: centsToAmount(amount),
    Description: `${line.description}${less}`,
    SalesItemLineDetail: {
      ItemRef: { value: line.itemRef },
      ItemAccountRef: { value: line.accountRef },
      ...(q.value !== 0n ? { Qty: Number(line.quantity), UnitPrice: unitPrice } : {}),
      ...(line.taxRateRef ? { TaxCodeRef: { value: line.taxRateRef } } : {}),
    },
  }
}

/** The Invoice body: a create, or a sparse update of `existing` at `syncToken` (PROVIDERS 2.7 Updates). */
export function toQboInvoice(input: InvoiceInput, syncToken: string | null): Record<string, unknown> {
  return {
    ...(input.existing ? { Id: input.existing.id, SyncToken: syncToken ?? '', sparse: true } : {}),
    DocNumber: input.number,
    TxnDate: input.issueDate,
    ...(input.dueDate ? { DueDate: input.dueDate } : {}),
    CustomerRef: { value: input.contact.id },
    CurrencyRef: { value: input.currency },
    GlobalTaxCalculation: input.amounts === 'tax_inclusive' ? 'TaxInclusive' : 'TaxExcluded',
    // QBO has no reference field on an invoice: it goes in the private memo, the notes on the invoice.
    ...(input.reference ? { PrivateNote: `Reference: ${input.reference}` } : {}),
    ...(input.notes ? { CustomerMemo: { value: input.notes } } : {}),
    Line: input.lines.map(toQboLine),
  }
}

/** Voided invoices keep their lines at zero and a "Voided" memo; paid ones have no balance left. */
function statusOf(raw: QboInvoiceRaw): 'voided' | 'paid' | 'partly_paid' | 'open' {
  const paid = (raw.LinkedTxn ?? []).some((t) => t.TxnType === 'Payment')
  if (raw.TotalAmt === 0 && (raw.PrivateNote ?? '').startsWith('Voided')) return 'voided'
  if (paid && (raw.Balance ?? raw.TotalAmt) === 0) return 'paid'
  return paid ? 'partly_paid' : 'open'
}

export function fromQboInvoice(raw: QboInvoiceRaw): ProviderInvoice {
  const totalMinor = amountToCents(raw.TotalAmt)
  const taxMinor = amountToCents(raw.TxnTaxDetail?.TotalTax)
  const status = statusOf(raw)
  return {
    id: raw.Id,
    version: raw.SyncToken,
    number: raw.DocNumber ?? '',
    status,
    lineIds: raw.Line.filter((l) => l.DetailType === 'SalesItemLineDetail').map((l) => l.Id ?? ''),
    totals: { subtotalMinor: totalMinor - taxMinor, taxMinor, totalMinor },
    locked: status === 'voided' || status === 'paid',
  }
}

/** Intuit: PaymentRefNum is "max 21 characters"; a longer one is refused with Fault 2050. */
export const PAYMENT_REF_MAX = 21

/** The longest start of `text` that fits `max` UTF-16 units (QBO counts Java chars) without splitting a character. */
function fit(text: string, max: number): string {
  let out = ''
  for (const ch of text) {
    if (out.length + ch.length > max) break
    out += ch
  }
  return out
}

/**
 * The memo's first line names our payment: QBO gives a payment no field for another system's id,
 * and a retry of a batch must know which of the invoice's payments are its own (payments.ts).
 */
const memoOf = (paymentId: string) => `LedgerLink payment ${paymentId}`

export const isPaymentOf = (raw: QboPaymentRaw, paymentId: string) =>
  (raw.PrivateNote ?? '').split('\n')[0] === memoOf(paymentId)

/**
 * A Payment applying its whole amount to one invoice (TotalAmt = the line's Amount, so nothing is
 * left unapplied). A reference longer than PaymentRefNum holds is cut there and kept whole in the
 * memo. No ExchangeRate, as invoices send none: QBO applies its own rate for the date. No
 * PaymentMethodRef: it names a PaymentMethod entity, which the adapter does not read yet.
 */
export function toQboPayment(input: PaymentInput): Record<string, unknown> {
  const reference = input.reference?.trim() || null
  const refNum = reference ? fit(reference, PAYMENT_REF_MAX) : null
  const memo = [memoOf(input.paymentId), ...(reference !== refNum ? [`Reference: ${reference}`] : [])]
  const amount = centsToAmount(input.amountMinor)
  return {
    CustomerRef: { value: input.contact.id },
    CurrencyRef: { value: input.currency },
    TotalAmt: amount,
    TxnDate: input.date,
    ...(refNum ? { PaymentRefNum: refNum } : {}),
    PrivateNote: memo.join('\n'),
    DepositToAccountRef: { value: input.account.id },
    Line: [{ Amount: amount, LinkedTxn: [{ TxnId: input.invoice.id, TxnType: 'Invoice' }] }],
  }
}

/**
 * What a payment applies to each invoice, one entry per invoice. A voided payment keeps its lines
 * at zero, so it applies nothing and is left out with the deleted ones.
 */
export function fromQboPayment(raw: QboPaymentRaw): ProviderPayment[] {
  const applied = new Map<string, bigint>()
  for (const line of raw.Line ?? [])
    for (const link of line.LinkedTxn ?? [])
      if (link.TxnType === 'Invoice')
        applied.set(link.TxnId, (applied.get(link.TxnId) ?? 0n) + amountToCents(line.Amount))
  return [...applied]
    .filter(([, cents]) => cents > 0n)
    .map(([invoiceId, amountMinor]) => ({
      id: raw.Id,
      version: raw.SyncToken,
      invoiceId,
      amountMinor,
      date: raw.TxnDate ?? '',
      reference: raw.PaymentRefNum ?? null,
    }))
}

const REVENUE_TYPES = new Set(['Income', 'Other Income'])

export function fromQboAccount(raw: QboAccountRaw): ProviderAccount {
  const bank = raw.AccountType === 'Bank'
  return {
    id: raw.Id,
    code: raw.AcctNum ?? null,
    name: raw.Name,
    kind: REVENUE_TYPES.has(raw.AccountType ?? '') ? 'revenue' : bank ? 'bank' : 'other',
    active: raw.Active !== false,
    // A received payment is deposited to a bank account or to Undeposited Funds.
    acceptsPayments: bank || raw.AccountSubType === 'UndepositedFunds',
  }
}

/** A tax code's sales rate is the sum of its component rates (a code may combine several agencies). */
export function fromQboTaxCode(raw: QboTaxCodeRaw, rates: Map<string, QboTaxRateRaw>): ProviderTaxRate {
  let sum = { value: 0n, scale: 0 }
  for (const detail of raw.SalesTaxRateList?.TaxRateDetail ?? []) {
    const d = parseDecimal(String(rates.get(detail.TaxRateRef.value)?.RateValue ?? 0))
    const scale = Math.max(sum.scale, d.scale)
    sum = {
      value: sum.value * 10n ** BigInt(scale - sum.scale) + d.value * 10n ** BigInt(scale - d.scale),
      scale,
    }
  }
  const rate = sum.scale === 0 ? sum.value.toString() : String(scaled(sum.value, sum.scale))
  return { id: raw.Id, name: raw.Name, rate, active: raw.Active !== false }
}

export function fromQboItem(raw: QboItemRaw): ProviderItem {
  return {
    id: raw.Id,
    name: raw.Name,
    incomeAccountId: raw.IncomeAccountRef?.value ?? null,
    active: raw.Active !== false,
  }
}
