import { z } from 'zod'

/**
 * Xero's Accounting API wire format, as much of it as the sync reads ([spec] xero_accounting.yaml
 * components.schemas Invoice, LineItem, Contact, Account, TaxRate, Currency, Payment, CreditNote,
 * Allocation). Objects are loose: Xero adds fields freely, and only a change to these would mean
 * something to us. Money arrives as JSON numbers at two decimals ("All monetary calculations in
 * Xero are to two decimal places",
 * https://developer.xero.com/documentation/guides/how-to-guides/rounding-in-xero).
 */

const ItemStatusSchema = {
  /** With summarizeErrors=false each element says how it fared (PROVIDERS 1.6). */
  StatusAttributeString: z.string().nullish(),
  ValidationErrors: z.array(z.looseObject({ Message: z.string() })).nullish(),
  Warnings: z.array(z.looseObject({ Message: z.string() })).nullish(),
}

export const XeroLineItemRawSchema = z.looseObject({
  LineItemID: z.string().nullish(),
  Description: z.string().nullish(),
  Quantity: z.number().nullish(),
  UnitAmount: z.number().nullish(),
  AccountCode: z.string().nullish(),
  TaxType: z.string().nullish(),
  TaxAmount: z.number().nullish(),
  LineAmount: z.number().nullish(),
})
export type XeroLineItemRaw = z.infer<typeof XeroLineItemRawSchema>

/** What invoices and credit notes share on the wire: type, status, currency, lines and totals. */
const DocumentFields = {
  Type: z.string().nullish(),
  Status: z.string().nullish(),
  CurrencyCode: z.string().nullish(),
  LineItems: z.array(XeroLineItemRawSchema).nullish(),
  SubTotal: z.number().nullish(),
  TotalTax: z.number().nullish(),
  Total: z.number().nullish(),
}

/** An invoice as Xero answers it; on a failed element, the element as we sent it plus its errors. */
export const XeroInvoiceRawSchema = z.looseObject({
  InvoiceID: z.string().nullish(),
  InvoiceNumber: z.string().nullish(),
  ...DocumentFields,
  AmountDue: z.number().nullish(),
  AmountPaid: z.number().nullish(),
  AmountCredited: z.number().nullish(),
  ...ItemStatusSchema,
})
export type XeroInvoiceRaw = z.infer<typeof XeroInvoiceRawSchema>

export const XeroContactRawSchema = z.looseObject({
  ContactID: z.string().nullish(),
  ContactNumber: z.string().nullish(),
  ContactStatus: z.string().nullish(),
  Name: z.string().nullish(),
  EmailAddress: z.string().nullish(),
  ...ItemStatusSchema,
})
export type XeroContactRaw = z.infer<typeof XeroContactRawSchema>

export const XeroAccountRawSchema = z.looseObject({
  AccountID: z.string(),
  Code: z.string().nullish(),
  Name: z.string(),
  Type: z.string(),
  Class: z.string().nullish(),
  Status: z.string(),
  SystemAccount: z.string().nullish(),
  EnablePaymentsToAccount: z.boolean().nullish(),
})
export type XeroAccountRaw = z.infer<typeof XeroAccountRawSchema>

export const XeroTaxRateRawSchema = z.looseObject({
  Name: z.string(),
  TaxType: z.string(),
  Status: z.string(),
  EffectiveRate: z.number(),
  CanApplyToRevenue: z.boolean().nullish(),
})
export type XeroTaxRateRaw = z.infer<typeof XeroTaxRateRawSchema>

export const XeroCurrencyRawSchema = z.looseObject({ Code: z.string() })

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/
const DAY = /^\d{4}-\d{2}-\d{2}/

/**
 * A document date as YYYY-MM-DD. Xero answers MS-JSON, `/Date(1552348800000+0000)/`, the day's
 * UTC midnight (PROVIDERS 1.7); a failed element echoes the date as we sent it, `2026-11-01`.
 */
export const XeroDateSchema = z.union([
  z
    .string()
    .regex(MS_DATE)
    .transform((s) => new Date(Number(MS_DATE.exec(s)![1])).toISOString().slice(0, 10)),
  z
    .string()
    .regex(DAY)
    .transform((s) => s.slice(0, 10)),
])

/**
 * When a record last changed, as an ISO 8601 instant: Xero answers UpdatedDateUTC in MS-JSON,
 * `/Date(1573755038314+0000)/`, milliseconds since the epoch in UTC (the offset is informational).
 */
export const XeroTimestampSchema = z
  .string()
  .regex(MS_DATE)
  .transform((s) => new Date(Number(MS_DATE.exec(s)![1])).toISOString())

/** What the change feed reads of an invoice: GET /Invoices?summaryOnly=true carries these ([spec] Invoice). */
export const XeroInvoiceChangeRawSchema = z.looseObject({
  InvoiceID: z.string(),
  Type: z.string().nullish(),
  Status: z.string().nullish(),
  UpdatedDateUTC: XeroTimestampSchema,
})

/** What the change feed reads of a payment ([spec] Payment: PaymentType, Status AUTHORISED or DELETED). */
export const XeroPaymentChangeRawSchema = z.looseObject({
  PaymentID: z.string(),
  PaymentType: z.string().nullish(),
  Status: z.string().nullish(),
  UpdatedDateUTC: XeroTimestampSchema,
})

/** A payment as Xero answers it ([spec] Payment); its Invoice carries the currency of Amount. */
export const XeroPaymentRawSchema = z.looseObject({
  PaymentID: z.string().nullish(),
  Invoice: z.looseObject({ InvoiceID: z.string().nullish(), CurrencyCode: z.string().nullish() }).nullish(),
  Date: XeroDateSchema.nullish(),
  Amount: z.number().nullish(),
  Reference: z.string().nullish(),
  Status: z.string().nullish(),
  ...ItemStatusSchema,
})
export type XeroPaymentRaw = z.infer<typeof XeroPaymentRawSchema>

/** An allocation of credit to an invoice ([spec] Allocation): on its own, or within its credit note. */
export const XeroAllocationRawSchema = z.looseObject({
  AllocationID: z.string().nullish(),
  Invoice: z.looseObject({ InvoiceID: z.string().nullish() }).nullish(),
  CreditNote: z.looseObject({ CreditNoteID: z.string().nullish() }).nullish(),
  Amount: z.number().nullish(),
  Date: XeroDateSchema.nullish(),
  IsDeleted: z.boolean().nullish(),
  ...ItemStatusSchema,
})
export type XeroAllocationRaw = z.infer<typeof XeroAllocationRawSchema>

/** A credit note as Xero answers it; on a failed element, the element as we sent it plus its errors. */
export const XeroCreditNoteRawSchema = z.looseObject({
  CreditNoteID: z.string().nullish(),
  CreditNoteNumber: z.string().nullish(),
  ...DocumentFields,
  RemainingCredit: z.number().nullish(),
  Allocations: z.array(XeroAllocationRawSchema).nullish(),
  ...ItemStatusSchema,
})
export type XeroCreditNoteRaw = z.infer<typeof XeroCreditNoteRawSchema>

export const PaginationSchema = z.looseObject({ page: z.number(), pageCount: z.number() })

/** `{Id, Status, ProviderName, DateTimeUTC, [pagination], <Collection>: [...]}` */
const paged = { pagination: PaginationSchema.nullish() }
export const InvoicesEnvelopeSchema = z.looseObject({ ...paged, Invoices: z.array(XeroInvoiceRawSchema) })
export const ContactsEnvelopeSchema = z.looseObject({ ...paged, Contacts: z.array(XeroContactRawSchema) })
export const AccountsEnvelopeSchema = z.looseObject({ Accounts: z.array(XeroAccountRawSchema) })
export const TaxRatesEnvelopeSchema = z.looseObject({ TaxRates: z.array(XeroTaxRateRawSchema) })
export const CurrenciesEnvelopeSchema = z.looseObject({ Currencies: z.array(XeroCurrencyRawSchema) })
export const PaymentsEnvelopeSchema = z.looseObject({ ...paged, Payments: z.array(XeroPaymentRawSchema) })
export const CreditNotesEnvelopeSchema = z.looseObject({
  ...paged,
  CreditNotes: z.array(XeroCreditNoteRawSchema),
})
export const InvoiceChangesEnvelopeSchema = z.looseObject({
  ...paged,
  Invoices: z.array(XeroInvoiceChangeRawSchema),
})
export const PaymentChangesEnvelopeSchema = z.looseObject({
  ...paged,
  Payments: z.array(XeroPaymentChangeRawSchema),
})
export const AllocationsEnvelopeSchema = z.looseObject({ Allocations: z.array(XeroAllocationRawSchema) })

/** A line as we write it ([spec] LineItem): amounts as JSON numbers, UnitAmount to 4 places with unitdp=4. */
export interface XeroLineItemWrite {
  LineItemID?: string
  Description?: string
  Quantity?: number
  UnitAmount?: number
  AccountCode?: string
  TaxType?: string
  DiscountRate?: number
  DiscountAmount?: number
}

/** The lines of a sales document and how their amounts read, as invoices and credit notes carry them. */
export interface XeroLinesWrite {
  LineAmountTypes: 'Exclusive' | 'Inclusive' | 'NoTax'
  LineItems: XeroLineItemWrite[]
}

export interface XeroInvoiceWrite extends XeroLinesWrite {
  InvoiceID?: string
  Type: 'ACCREC'
  /** Only the ContactID: other fields would update the contact (CERTIFICATION XR-D02). */
  Contact: { ContactID: string }
  InvoiceNumber: string
  Reference?: string
  CurrencyCode: string
  Date: string
  DueDate?: string
  Status: 'AUTHORISED'
}

/** A sales credit note ([spec] CreditNote): an invoice's fields less the due date. */
export interface XeroCreditNoteWrite extends XeroLinesWrite {
  CreditNoteID?: string
  Type: 'ACCRECCREDIT'
  Contact: { ContactID: string }
  CreditNoteNumber: string
  Reference?: string
  CurrencyCode: string
  Date: string
  Status: 'AUTHORISED'
}

/** Voiding names the note and the status alone: nothing else of it changes. */
export interface XeroCreditNoteVoid {
  CreditNoteID: string
  Status: 'VOIDED'
}

/** Credit set against an invoice ([spec] Allocation: Amount, Invoice and Date are required). */
export interface XeroAllocationWrite {
  Invoice: { InvoiceID: string }
  /** In the currency of both documents. */
  Amount: number
  Date: string
}

export interface XeroContactWrite {
  /** Set on an update (POST): the contact to change. */
  ContactID?: string
  Name: string
  ContactNumber?: string
  EmailAddress?: string
  DefaultCurrency?: string
  Phones?: { PhoneType: 'DEFAULT'; PhoneNumber: string }[]
}

/** A payment applied to an invoice ([spec] Payment, PROVIDERS 1.8): Xero takes the contact from the invoice. */
export interface XeroPaymentWrite {
  Invoice: { InvoiceID: string }
  /** A bank account, or one with payments enabled. */
  Account: { AccountID: string }
  Date: string
  /** In the invoice's currency. */
  Amount: number
  Reference?: string
}
