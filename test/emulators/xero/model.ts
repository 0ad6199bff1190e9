/**
 * What the emulator keeps per organisation, in Xero's own property names so rendering is a copy.
 * Dates are `YYYY-MM-DD`; timestamps are epoch ms on the emulator clock (rendered as MS-JSON).
 */
export type AccountClass = 'ASSET' | 'EQUITY' | 'EXPENSE' | 'LIABILITY' | 'REVENUE'

export interface AccountRecord {
  AccountID: string
  Code: string
  Name: string
  Type: string
  Status: 'ACTIVE' | 'ARCHIVED'
  TaxType: string
  Class: AccountClass
  EnablePaymentsToAccount: boolean
  SystemAccount?: string
  BankAccountNumber?: string
  BankAccountType?: string
  CurrencyCode?: string
  UpdatedDateUTC: number
}

export interface TaxRateRecord {
  Name: string
  TaxType: string
  ReportTaxType: string
  Status: 'ACTIVE' | 'ARCHIVED'
  /** Percent, e.g. 20 for 20%. */
  EffectiveRate: number
  CanApplyToAssets: boolean
  CanApplyToEquity: boolean
  CanApplyToExpenses: boolean
  CanApplyToLiabilities: boolean
  CanApplyToRevenue: boolean
}

export interface ContactRecord {
  ContactID: string
  Name: string
  ContactStatus: 'ACTIVE' | 'ARCHIVED' | 'GDPRREQUEST'
  ContactNumber?: string
  AccountNumber?: string
  FirstName?: string
  LastName?: string
  EmailAddress?: string
  TaxNumber?: string
  DefaultCurrency?: string
  IsCustomer: boolean
  IsSupplier: boolean
  Addresses: unknown[]
  Phones: unknown[]
  UpdatedDateUTC: number
}

export interface LineItemRecord {
  LineItemID: string
  Description?: string
  Quantity: number
  UnitAmount: number
  ItemCode?: string
  AccountCode?: string
  TaxType?: string
  TaxAmount: number
  LineAmount: number
  DiscountRate?: number
  DiscountAmount?: number
  Tracking: unknown[]
}

export type DocumentStatus = 'DRAFT' | 'SUBMITTED' | 'DELETED' | 'AUTHORISED' | 'PAID' | 'VOIDED'
export type LineAmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax'

export interface Totals {
  SubTotal: number
  TotalTax: number
  Total: number
  TotalDiscount: number
}

export interface InvoiceRecord extends Totals {
  InvoiceID: string
  Type: 'ACCREC' | 'ACCPAY'
  ContactID: string
  InvoiceNumber: string
  Reference?: string
  Date: string
  DueDate?: string
  Status: DocumentStatus
  LineAmountTypes: LineAmountTypes
  LineItems: LineItemRecord[]
  CurrencyCode: string
  CurrencyRate: number
  AmountPaid: number
  AmountCredited: number
  AmountDue: number
  FullyPaidOnDate?: string
  PaymentIDs: string[]
  Allocations: { CreditNoteID: string; Amount: number; Date: string }[]
  UpdatedDateUTC: number
}

export interface CreditNoteRecord extends Totals {
  CreditNoteID: string
  Type: 'ACCRECCREDIT' | 'ACCPAYCREDIT'
  ContactID: string
  CreditNoteNumber: string
  Reference?: string
  Date: string
  Status: DocumentStatus
  LineAmountTypes: LineAmountTypes
  LineItems: LineItemRecord[]
  CurrencyCode: string
  CurrencyRate: number
  RemainingCredit: number
  Allocations: { AllocationID: string; InvoiceID: string; Amount: number; Date: string }[]
  UpdatedDateUTC: number
}

export interface PaymentRecord {
  PaymentID: string
  InvoiceID: string
  AccountID: string
  Date: string
  Amount: number
  CurrencyRate: number
  Reference?: string
  IsReconciled: boolean
  Status: 'AUTHORISED' | 'DELETED'
  PaymentType: 'ACCRECPAYMENT' | 'ACCPAYPAYMENT'
  UpdatedDateUTC: number
}

export interface OrganisationProfile {
  OrganisationID: string
  Name: string
  LegalName: string
  ShortCode: string
  Version: 'UK' | 'US' | 'AU'
  CountryCode: string
  BaseCurrency: string
  Timezone: string
  TaxNumber?: string
  SalesTaxBasis: string
  SalesTaxPeriod: string
  FinancialYearEndDay: number
  FinancialYearEndMonth: number
  PeriodLockDate?: string
  EndOfYearLockDate?: string
  CreatedDateUTC: number
}

export interface OrganisationStore {
  profile: OrganisationProfile
  accounts: AccountRecord[]
  taxRates: TaxRateRecord[]
  currencies: { Code: string; Description: string }[]
  contacts: Map<string, ContactRecord>
  invoices: Map<string, InvoiceRecord>
  creditNotes: Map<string, CreditNoteRecord>
  payments: Map<string, PaymentRecord>
  sequences: { invoice: number; creditNote: number }
}
