/** The emulator's records. Amounts are in pence; routes render them into Sage's wire shape. */
export interface Stamped {
  id: string
  createdAt: number
  updatedAt: number
  deletedAt: number | null
}

export interface User {
  id: string
  firstName: string
  lastName: string
  email: string
  businessIds: string[]
  leadBusinessId: string
}

export interface LedgerAccount {
  id: string
  nominalCode: number
  name: string
  typeId: string
  typeName: string
  visibleInSales: boolean
  includedInChart: boolean
  isControlAccount: boolean
  defaultTaxRateId: string | null
}

export interface TaxRate {
  id: string
  name: string
  percentage: number
  /** zero, exempt and no_tax rates need no tax_amount on a line (SDK docs, v3.1). */
  zeroKind: boolean
}

export interface Currency {
  id: string
  name: string
  symbol: string
  /** Units of this currency per unit of GBP, for lines sent without an exchange_rate. */
  perGbp: number
}

export interface BankAccount {
  id: string
  name: string
  ledgerAccountId: string
  typeId: string
  accountNumber: string
  sortCode: string
  currencyId: string
}

export interface Contact extends Stamped {
  name: string
  contactTypeIds: string[]
  reference: string
  /** The main contact person's address: Sage files e-mail and telephone under the person, not the contact. */
  email: string | null
  telephone: string | null
  taxNumber: string | null
  notes: string | null
  currencyId: string
  creditDays: number | null
  sourceGuid: string | null
  mainAddress: Record<string, unknown> | null
}

export interface Line {
  id: string
  description: string
  ledgerAccountId: string
  quantity: number
  unitPrice: number
  unitPriceIncludesTax: boolean
  taxRateId: string | null
  discountMinor: number
  netMinor: number
  taxMinor: number
  totalMinor: number
}

export type ArtefactKind = 'sales_invoice' | 'sales_credit_note'
export type ArtefactStatus = 'DRAFT' | 'UNPAID' | 'PART_PAID' | 'PAID' | 'VOID'

export interface Artefact extends Stamped {
  kind: ArtefactKind
  number: string
  contactId: string
  date: string
  dueDate: string | null
  reference: string | null
  notes: string | null
  currencyId: string
  exchangeRate: number
  status: ArtefactStatus
  voidReason: string | null
  lines: Line[]
  netMinor: number
  taxMinor: number
  totalMinor: number
  outstandingMinor: number
  lastPaid: string | null
  originalInvoiceId: string | null
}

export interface Allocation {
  artefactId: string
  amountMinor: number
  discountMinor: number
}

/** A contact_payment (CUSTOMER_RECEIPT) or a contact_allocation (CUSTOMER_ALLOCATION). */
export interface Settlement extends Stamped {
  kind: 'contact_payment' | 'contact_allocation'
  transactionTypeId: string
  contactId: string
  bankAccountId: string | null
  date: string
  totalMinor: number
  currencyId: string
  exchangeRate: number
  reference: string | null
  allocations: Allocation[]
  /**
   * Matched to a bank-feed line ("cleared"): Sage refuses to edit or delete the receipt until the
   * bookkeeper removes the cleared status (Sage KB 210127011011697).
   */
  cleared: boolean
}

export interface Business {
  id: string
  name: string
  countryId: string
  addressLine1: string
  city: string
  postalCode: string
  vatRegistered: boolean
  taxNumber: string | null
  baseCurrencyId: string
  multiCurrencyEnabled: boolean
  /** The currencies set up in Settings > Currencies (base first); Sage creates GBP, EUR and USD. */
  currencyIds: string[]
  subscriptionActive: boolean
  createdAt: number
  updatedAt: number
  yearEndDate: string
  accountsStartDate: string
  ledgerAccounts: LedgerAccount[]
  taxRates: TaxRate[]
  bankAccounts: BankAccount[]
  contacts: Map<string, Contact>
  artefacts: Map<string, Artefact>
  settlements: Map<string, Settlement>
  counters: { sales_invoice: number; sales_credit_note: number }
}
