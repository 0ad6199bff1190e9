import { divRound, parseDecimal } from '../../../shared/money.ts'
import { ProviderError } from '../provider.ts'
import type {
  AllocationInput,
  ContactInput,
  ContactMatch,
  CreditNoteInput,
  InvoiceInput,
  InvoiceLineInput,
  PaymentInput,
  ProviderAccount,
  ProviderAllocation,
  ProviderCreditNote,
  ProviderInvoice,
  ProviderItem,
  ProviderPayment,
  ProviderTaxRate,
} from '../sync-contract.ts'
import { lineBaseMinor } from './totals.ts'
import type {
  QboAccountRaw,
  QboCreditMemoRaw,
  QboCustomerRaw,
  QboInvoiceRaw,
  QboItemRaw,
  QboPaymentRaw,
  QboTaxCodeRaw,
  QboTaxRateRaw,
} from './wire.ts'

/**
 * Pure maps between the sync contract and QBO's wire format (wire.ts); no I/O. One file over 300
 * lines: invoices, credit memos and payments share line mapping and the reading of Payment lines.
 */

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

/** What an Invoice and a CreditMemo share: "the same Line structure as Invoice, plus CustomerRef" (PROVIDERS 2.7). */
type SalesFormInput = Pick<
  InvoiceInput,
  'existing' | 'number' | 'issueDate' | 'contact' | 'currency' | 'amounts' | 'reference' | 'notes' | 'lines'
>

/** A sales form body: a create, or a sparse update of `existing` at `syncToken` (PROVIDERS 2.7 Updates). */
function toQboSalesForm(input: SalesFormInput, syncToken: string | null): Record<string, unknown> {
  return {
    ...(input.existing ? { Id: input.existing.id, SyncToken: syncToken ?? '', sparse: true } : {}),
    DocNumber: input.number,
    TxnDate: input.issueDate,
    CustomerRef: { value: input.contact.id },
    CurrencyRef: { value: input.currency },
    GlobalTaxCalculation: input.amounts === 'tax_inclusive' ? 'TaxInclusive' : 'TaxExcluded',
    // QBO has no reference field on a sales form: it goes in the private memo, the notes on the form.
    ...(input.reference ? { PrivateNote: `Reference: ${input.reference}` } : {}),
    ...(input.notes ? { CustomerMemo: { value: input.notes } } : {}),
    Line: input.lines.map(toQboLine),
  }
}

export function toQboInvoice(input: InvoiceInput, syncToken: string | null): Record<string, unknown> {
  return { ...toQboSalesForm(input, syncToken), ...(input.dueDate ? { DueDate: input.dueDate } : {}) }
}

export const toQboCreditMemo = (input: CreditNoteInput, syncToken: string | null) =>
  toQboSalesForm(input, syncToken)

/** Voiding keeps the lines at zero and prefixes the memo "Voided" (Intuit blog, 2016-04-06). */
export const isVoided = (raw: { TotalAmt?: number; PrivateNote?: string }) =>
  raw.TotalAmt === 0 && (raw.PrivateNote ?? '').startsWith('Voided')

/** Paid invoices have a payment linked and no balance left. */
function statusOf(raw: QboInvoiceRaw): 'voided' | 'paid' | 'partly_paid' | 'open' {
  const paid = (raw.LinkedTxn ?? []).some((t) => t.TxnType === 'Payment')
  if (isVoided(raw)) return 'voided'
  if (paid && (raw.Balance ?? raw.TotalAmt) === 0) return 'paid'
  return paid ? 'partly_paid' : 'open'
}

/** Id, token, number, item line ids and totals, read the same from an Invoice and a CreditMemo. */
function fromQboSalesForm(raw: QboInvoiceRaw) {
  const totalMinor = amountToCents(raw.TotalAmt)
  const taxMinor = amountToCents(raw.TxnTaxDetail?.TotalTax)
  return {
    id: raw.Id,
    version: raw.SyncToken,
    number: raw.DocNumber ?? '',
    lineIds: raw.Line.filter((l) => l.DetailType === 'SalesItemLineDetail').map((l) => l.Id ?? ''),
    totals: { subtotalMinor: totalMinor - taxMinor, taxMinor, totalMinor },
  }
}

export function fromQboInvoice(raw: QboInvoiceRaw): ProviderInvoice {
  const status = statusOf(raw)
  return { ...fromQboSalesForm(raw), status, locked: status === 'voided' || status === 'paid' }
}

/**
 * A CreditMemo. Its status comes from RemainingCredit (Balance where that is absent) against the
 * total, so a credit used by a refund as well as by payments reads as used. Locked as an invoice
 * is: voided (the API offers no void for a CreditMemo, but QBO's app does) or nothing left.
 */
export function fromQboCreditMemo(raw: QboCreditMemoRaw): ProviderCreditNote {
  const form = fromQboSalesForm(raw)
  const remainingMinor = amountToCents(raw.RemainingCredit ?? raw.Balance ?? raw.TotalAmt)
  const status = isVoided(raw)
    ? 'voided'
    : remainingMinor === form.totals.totalMinor
      ? 'open'
      : remainingMinor === 0n
        ? 'allocated'
        : 'partly_allocated'
  return { ...form, status, remainingMinor, locked: status === 'voided' || status === 'allocated' }
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

type Application = { moneyMinor: bigint; credits: Map<string, bigint> }

/**
 * What a Payment does to each invoice it links. Lines linking a CreditMemo are credit, not money:
 * QBO records no pairing of a credit with an invoice, so credits are set against the invoice lines
 * in line order and the rest of each invoice line is money. The zero Payments `allocate` writes
 * link one invoice and one credit memo, so for them the pairing is exact. A voided payment keeps
 * its lines at zero and applies nothing.
 */
function applicationsOf(raw: QboPaymentRaw): Map<string, Application> {
  const linked = (type: string) =>
    (raw.Line ?? []).flatMap((line) =>
      (line.LinkedTxn ?? [])
        .filter((t) => t.TxnType === type)
        .map((t) => ({ id: t.TxnId, cents: amountToCents(line.Amount) })),
    )
  const credits = linked('CreditMemo')
  const out = new Map<string, Application>()
  for (const { id, cents } of linked('Invoice')) {
    const entry = out.get(id) ?? { moneyMinor: 0n, credits: new Map<string, bigint>() }
    let due = cents
    for (const credit of credits) {
      const take = credit.cents < due ? credit.cents : due
      if (take <= 0n) continue
      credit.cents -= take
      due -= take
      entry.credits.set(credit.id, (entry.credits.get(credit.id) ?? 0n) + take)
    }
    entry.moneyMinor += due
    out.set(id, entry)
  }
  return out
}

/**
 * The money a payment applies to each invoice, one entry per invoice. Credit it sets against an
 * invoice is left out (`fromQboAllocations` reads it), so an allocation is never taken for a payment.
 */
export function fromQboPayment(raw: QboPaymentRaw): ProviderPayment[] {
  return [...applicationsOf(raw)]
    .filter(([, a]) => a.moneyMinor > 0n)
    .map(([invoiceId, a]) => ({
      id: raw.Id,
      version: raw.SyncToken,
      invoiceId,
      amountMinor: a.moneyMinor,
      date: raw.TxnDate ?? '',
      reference: raw.PaymentRefNum ?? null,
    }))
}

/** What of one credit memo a Payment sets against each invoice: the allocations, the Payment's id theirs. */
export function fromQboAllocations(raw: QboPaymentRaw, creditMemoId: string): ProviderAllocation[] {
  return [...applicationsOf(raw)].flatMap(([invoiceId, a]) => {
    const amountMinor = a.credits.get(creditMemoId) ?? 0n
    return amountMinor > 0n ? [{ id: raw.Id, creditNoteId: creditMemoId, invoiceId, amountMinor }] : []
  })
}

/** The memo's first line names the write, so a retry finds its own allocation among the credit's payments. */
const allocationMemo = (requestId: string) => `LedgerLink allocation ${requestId}`

export const isAllocationOf = (raw: QboPaymentRaw, requestId: string) =>
  (raw.PrivateNote ?? '').split('\n')[0] === allocationMemo(requestId)

/**
 * A credit memo set against an invoice: a Payment of TotalAmt 0 whose two lines apply the same
 * amount, one to the Invoice and one from the CreditMemo (PROVIDERS 2.7). It moves no money, so it
 * names no deposit account (QBO defaults it to Undeposited Funds).
 */
export function toQboAllocation(input: AllocationInput, requestId: string): Record<string, unknown> {
  const amount = centsToAmount(input.amountMinor)
  return {
    CustomerRef: { value: input.contact.id },
    CurrencyRef: { value: input.currency },
    TotalAmt: 0,
    TxnDate: input.date,
    PrivateNote: allocationMemo(requestId),
    Line: [
      { Amount: amount, LinkedTxn: [{ TxnId: input.invoice.id, TxnType: 'Invoice' }] },
      { Amount: amount, LinkedTxn: [{ TxnId: input.creditNote.id, TxnType: 'CreditMemo' }] },
    ],
  }
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
