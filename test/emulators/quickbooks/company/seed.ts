import { localiseToUk } from './seed-uk.ts'
import type { Company } from './store.ts'

/**
 * A US company on automated sales tax (AST), shaped like a fresh QBO Plus sandbox: Intuit-style ids,
 * a chart of accounts with one archived account, a checking account, items, sales-tax jurisdictions
 * for the states where it has nexus (CA, NY), terms, customers (one tax-exempt, one inactive) and a
 * vendor and employee whose names customers may not reuse (6240 spans all three lists).
 */
export interface CompanySeed {
  realmId: string
  name: string
  adminName: string
  adminEmail: string
  multicurrency: boolean
  /** 'GB': a UK company on QBO's non-US tax model (VAT codes per line, company/seed-uk.ts). Default 'US'. */
  region?: 'US' | 'GB'
}

const ref = (value: string, name?: string) => (name ? { value, name } : { value })
const addr = (Line1: string, City: string, CountrySubDivisionCode: string, PostalCode: string) => ({
  Line1,
  City,
  CountrySubDivisionCode,
  PostalCode,
  Country: 'USA',
})

const ACCOUNTS: [string, string, string, string, boolean?][] = [
  ['1', 'Services', 'Income', 'ServiceFeeIncome'],
  ['4', 'Undeposited Funds', 'Other Current Asset', 'UndepositedFunds'],
  ['33', 'Accounts Payable (A/P)', 'Accounts Payable', 'AccountsPayable'],
  ['35', 'Checking', 'Bank', 'Checking'],
  ['36', 'Savings', 'Bank', 'Savings'],
  ['79', 'Sales of Product Income', 'Income', 'SalesOfProductIncome'],
  ['80', 'Cost of Goods Sold', 'Cost of Goods Sold', 'SuppliesMaterialsCogs'],
  ['81', 'Inventory Asset', 'Other Current Asset', 'Inventory'],
  ['84', 'Accounts Receivable (A/R)', 'Accounts Receivable', 'AccountsReceivable'],
  ['86', 'Discounts given', 'Income', 'DiscountsRefundsGiven'],
  [
    '89',
    'California Department of Tax and Fee Administration Payable',
    'Other Current Liability',
    'GlobalTaxPayable',
  ],
  [
    '90',
    'New York State Department of Taxation and Finance Payable',
    'Other Current Liability',
    'GlobalTaxPayable',
  ],
  ['7', 'Advertising', 'Expense', 'AdvertisingPromotional'],
  ['91', 'Old Consulting Income', 'Income', 'ServiceFeeIncome', false],
]
const CLASSIFICATION: Record<string, string> = {
  Income: 'Revenue',
  'Other Current Asset': 'Asset',
  Bank: 'Asset',
  'Accounts Receivable': 'Asset',
  'Accounts Payable': 'Liability',
  'Other Current Liability': 'Liability',
  'Cost of Goods Sold': 'Expense',
  Expense: 'Expense',
}

/** [Id, Name, Type, UnitPrice, Taxable, IncomeAccount, Active] */
const ITEMS: [string, string, string, number, boolean, string, boolean?][] = [
  ['1', 'Services', 'Service', 0, false, '1'],
  ['2', 'Hours', 'Service', 0, false, '1'],
  ['3', 'Design', 'Service', 75, false, '1'],
  ['4', 'Installation', 'Service', 50, true, '1'],
  ['5', 'Pump', 'NonInventory', 15, true, '79'],
  ['6', 'Sprinkler Heads', 'NonInventory', 2, true, '79'],
  ['7', 'Retired Service', 'Service', 10, false, '1', false],
]

/** Sales-tax agencies, component rates and the combined TaxCode AST applies per state of nexus. */
const AGENCIES: [string, string][] = [
  ['1', 'California Department of Tax and Fee Administration'],
  ['2', 'New York State Department of Taxation and Finance'],
]
const RATES: [string, string, number, string][] = [
  ['1', 'California', 7.25, '1'],
  ['2', 'Contra Costa County', 1.5, '1'],
  ['3', 'New York State', 4, '2'],
  ['4', 'New York City', 4.5, '2'],
  ['5', 'MCTD', 0.375, '2'],
]
/** The seeded company looks about three months old. */
const SEED_AGE_MS = 90 * 86_400_000

export const TAX_CODE_BY_STATE: Record<string, string> = { CA: '2', NY: '3' }
const TAX_CODES: [string, string, string[]][] = [
  ['2', 'California', ['1', '2']],
  ['3', 'New York City', ['3', '4', '5']],
]

export function seedUsCompany(company: Company, seed: CompanySeed): void {
  company.insert('CompanyInfo', {
    Id: '1',
    CompanyName: seed.name,
    LegalName: seed.name,
    CompanyAddr: addr('123 Sierra Way', 'San Pablo', 'CA', '94806'),
    CustomerCommunicationAddr: addr('123 Sierra Way', 'San Pablo', 'CA', '94806'),
    LegalAddr: addr('123 Sierra Way', 'San Pablo', 'CA', '94806'),
    PrimaryPhone: { FreeFormNumber: '(650) 555-0100' },
    CompanyStartDate: '2024-01-01',
    FiscalYearStartMonth: 'January',
    Country: 'US',
    Email: { Address: seed.adminEmail },
    WebAddr: {},
    SupportedLanguages: 'en',
    NameValue: [
      { Name: 'OfferingSku', Value: 'QuickBooks Online Plus' },
      { Name: 'PayrollFeature', Value: 'false' },
      { Name: 'IsQbdtMigrated', Value: 'false' },
    ],
  })
  company.insert('Preferences', {
    Id: '1',
    AccountingInfoPrefs: {
      TrackDepartments: false,
      ClassTrackingPerTxn: false,
      ClassTrackingPerTxnLine: false,
      CustomerTerminology: 'Customers',
    },
    SalesFormsPrefs: {
      CustomTxnNumbers: true,
      AllowDeposit: true,
      AllowDiscount: true,
      AllowEstimates: true,
      AllowShipping: false,
      AllowServiceDate: false,
      DefaultTerms: ref('3'),
      AutoApplyCredit: false,
      AutoApplyPayments: false,
      ETransactionEnabledStatus: 'NotApplicable',
    },
    TaxPrefs: { UsingSalesTax: true, PartnerTaxEnabled: true, PaySalesTax: 'Monthly' },
    CurrencyPrefs: { MultiCurrencyEnabled: seed.multicurrency, HomeCurrency: ref('USD') },
  })
  for (const [Id, Name, AccountType, AccountSubType, active] of ACCOUNTS)
    company.insert('Account', {
      Id,
      Name,
      SubAccount: false,
      FullyQualifiedName: Name,
      Active: active ?? true,
      Classification: CLASSIFICATION[AccountType],
      AccountType,
      AccountSubType,
      CurrentBalance: 0,
      CurrentBalanceWithSubAccounts: 0,
      CurrencyRef: ref('USD', 'United States Dollar'),
    })
  for (const [Id, Name, Type, UnitPrice, Taxable, income, active] of ITEMS)
    company.insert('Item', {
      Id,
      Name,
      FullyQualifiedName: Name,
      Active: active ?? true,
      Taxable,
      UnitPrice,
      Type,
      IncomeAccountRef: ref(income, ACCOUNTS.find((a) => a.at(0) === income)![1]),
      PurchaseCost: 0,
      TrackQtyOnHand: false,
    })
  if (seed.region !== 'GB') seedUsSalesTax(company)
  seedNames(company, seed)
  if (seed.region === 'GB') localiseToUk(company)
  company.backdate(SEED_AGE_MS)
  company.changes.length = 0
}

function seedUsSalesTax(company: Company): void {
  for (const [Id, DisplayName] of AGENCIES)
    company.insert('TaxAgency', { Id, DisplayName, TaxTrackedOnSales: true, TaxTrackedOnPurchases: false })
  for (const [Id, Name, RateValue, agency] of RATES)
    company.insert('TaxRate', {
      Id,
      Name,
      Description: Name,
      Active: true,
      RateValue,
      AgencyRef: ref(agency),
      SpecialTaxType: 'NONE',
      DisplayType: 'ReadOnly',
    })
  for (const [Id, Name, rates] of TAX_CODES)
    company.insert('TaxCode', {
      Id,
      Name,
      Description: Name,
      Active: true,
      Hidden: false,
      Taxable: true,
      TaxGroup: true,
      SalesTaxRateList: {
        TaxRateDetail: rates.map((r, i) => ({
          TaxRateRef: ref(r, RATES.find((x) => x[0] === r)![1]),
          TaxTypeApplicable: 'TaxOnAmount',
          TaxOrder: i,
        })),
      },
      PurchaseTaxRateList: { TaxRateDetail: [] },
    })
}

function seedNames(company: Company, seed: CompanySeed): void {
  company.insert('Term', { Id: '3', Name: 'Net 30', Active: true, Type: 'STANDARD', DueDays: 30 })
  company.insert('Term', { Id: '1', Name: 'Due on receipt', Active: true, Type: 'STANDARD', DueDays: 0 })
  company.insert('CompanyCurrency', { Id: '1', Code: 'EUR', Name: 'Euro', Active: seed.multicurrency })
  company.insert('CompanyCurrency', { Id: '2', Code: 'GBP', Name: 'British Pound Sterling', Active: false })
  company.insert('Vendor', { Id: '1', DisplayName: 'Harbor Insurance Agency', Active: true })
  company.insert('Employee', { Id: '1', DisplayName: 'Jordan Reyes', Active: true })

  const customer = (Id: string, DisplayName: string, fields: Record<string, unknown>) =>
    company.insert('Customer', {
      Id,
      DisplayName,
      FullyQualifiedName: DisplayName,
      PrintOnCheckName: DisplayName,
      Active: true,
      Taxable: true,
      Job: false,
      BillWithParent: false,
      PreferredDeliveryMethod: 'Print',
      CurrencyRef: ref('USD', 'United States Dollar'),
      ...fields,
    })
  customer('1', 'Alder Street Bakery', {
    CompanyName: 'Alder Street Bakery',
    PrimaryEmailAddr: { Address: 'accounts@alderstreet.example' },
    BillAddr: addr('4581 Alder St', 'Walnut Creek', 'CA', '94596'),
  })
  customer('2', 'Birchwood Dental', {
    CompanyName: 'Birchwood Dental LLC',
    PrimaryEmailAddr: { Address: 'billing@birchwood.example' },
    BillAddr: addr('12 Birch Rd', 'Concord', 'CA', '94520'),
  })
  customer('3', 'Cedar & Pine Outfitters', {
    CompanyName: 'Cedar & Pine Outfitters Inc',
    BillAddr: addr('350 5th Ave', 'New York', 'NY', '10118'),
  })
  customer('4', 'Dana Whitfield', {
    GivenName: 'Dana',
    FamilyName: 'Whitfield',
    Taxable: false,
    BillAddr: addr('88 Ocean Dr', 'Portland', 'OR', '97201'),
  })
  // QBO renames an inactive customer with a "(deleted)" suffix, which frees the original name.
  customer('5', 'Elm Court HOA (deleted)', { Active: false, CompanyName: 'Elm Court HOA' })
}
