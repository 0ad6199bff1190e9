import { randomUUID } from 'node:crypto'
import type { ContactRecord, OrganisationProfile, OrganisationStore, TaxRateRecord } from '../model.ts'
import type { ChartLine } from './charts.ts'
import {
  AU_CHART,
  AU_TAX_RATES,
  UK_CHART,
  UK_TAX_RATES,
  US_CHART,
  US_TAX_RATES,
  classOfType,
} from './charts.ts'

export interface OrganisationSeed {
  profile: Omit<OrganisationProfile, 'CreatedDateUTC'>
  taxRates: TaxRateRecord[]
  chart: ChartLine[]
  /** Currency codes enabled; the first is the base currency. One entry means multicurrency is off. */
  currencies: [string, ...string[]]
  contacts: { Name: string; EmailAddress?: string; ContactNumber?: string; archived?: boolean }[]
}

const CURRENCY_NAMES: Record<string, string> = {
  GBP: 'British Pound',
  EUR: 'Euro',
  USD: 'United States Dollar',
  AUD: 'Australian Dollar',
  NZD: 'New Zealand Dollar',
  JPY: 'Japanese Yen',
  KWD: 'Kuwaiti Dinar',
}

/** Fixed tenant ids so a demo configuration can name them. */
export const DEMO_TENANT_IDS = {
  uk: '6b9c1f2e-3c4d-4e5f-8a7b-1c2d3e4f5a01',
  us: '6b9c1f2e-3c4d-4e5f-8a7b-1c2d3e4f5a02',
  au: '6b9c1f2e-3c4d-4e5f-8a7b-1c2d3e4f5a03',
} as const

export const DEMO_ORGANISATIONS: OrganisationSeed[] = [
  {
    profile: {
      OrganisationID: DEMO_TENANT_IDS.uk,
      Name: 'Hedgerow Software Ltd',
      LegalName: 'Hedgerow Software Limited',
      ShortCode: '!hDg3w',
      Version: 'UK',
      CountryCode: 'GB',
      BaseCurrency: 'GBP',
      Timezone: 'GMTSTANDARDTIME',
      TaxNumber: 'GB123456789',
      SalesTaxBasis: 'ACCRUALS',
      SalesTaxPeriod: 'QUARTERLY1',
      FinancialYearEndDay: 31,
      FinancialYearEndMonth: 3,
    },
    taxRates: UK_TAX_RATES,
    chart: UK_CHART,
    currencies: ['GBP', 'EUR', 'USD'],
    contacts: [
      { Name: 'Acme Widgets Ltd', EmailAddress: 'accounts@acme-widgets.example', ContactNumber: 'CUST-001' },
      { Name: 'Brightside Studio', EmailAddress: 'hello@brightside.example' },
      { Name: 'Old Supplier Ltd', archived: true },
    ],
  },
  {
    profile: {
      OrganisationID: DEMO_TENANT_IDS.us,
      Name: 'Redwood Analytics Inc',
      LegalName: 'Redwood Analytics, Inc.',
      ShortCode: '!rWd7a',
      Version: 'US',
      CountryCode: 'US',
      BaseCurrency: 'USD',
      Timezone: 'PACIFICSTANDARDTIME',
      SalesTaxBasis: 'ACCRUAL',
      SalesTaxPeriod: 'MONTHLY',
      FinancialYearEndDay: 31,
      FinancialYearEndMonth: 12,
    },
    taxRates: US_TAX_RATES,
    chart: US_CHART,
    currencies: ['USD'],
    contacts: [
      { Name: 'Contoso Inc', EmailAddress: 'ap@contoso.example' },
      { Name: 'Globex Corporation', EmailAddress: 'billing@globex.example' },
    ],
  },
  {
    profile: {
      OrganisationID: DEMO_TENANT_IDS.au,
      Name: 'Wattle & Co Pty Ltd',
      LegalName: 'Wattle & Co Pty Ltd',
      ShortCode: '!wTl9c',
      Version: 'AU',
      CountryCode: 'AU',
      BaseCurrency: 'AUD',
      Timezone: 'AUSEASTERNSTANDARDTIME',
      TaxNumber: '53004085616',
      SalesTaxBasis: 'ACCRUALS',
      SalesTaxPeriod: 'QUARTERLY',
      FinancialYearEndDay: 30,
      FinancialYearEndMonth: 6,
    },
    taxRates: AU_TAX_RATES,
    chart: AU_CHART,
    currencies: ['AUD', 'NZD'],
    contacts: [
      { Name: 'Koala Supplies Pty Ltd', EmailAddress: 'accounts@koala.example' },
      { Name: 'Sydney Surf Co', EmailAddress: 'office@sydneysurf.example' },
    ],
  },
]

export function createOrganisationStore(seed: OrganisationSeed, now: number): OrganisationStore {
  const contacts = new Map<string, ContactRecord>()
  for (const c of seed.contacts) {
    const ContactID = randomUUID()
    contacts.set(ContactID, {
      ContactID,
      Name: c.Name,
      ContactStatus: c.archived ? 'ARCHIVED' : 'ACTIVE',
      ...(c.EmailAddress ? { EmailAddress: c.EmailAddress } : {}),
      ...(c.ContactNumber ? { ContactNumber: c.ContactNumber } : {}),
      IsCustomer: !c.archived,
      IsSupplier: Boolean(c.archived),
      Addresses: [],
      Phones: [],
      UpdatedDateUTC: now,
    })
  }
  return {
    profile: { ...seed.profile, CreatedDateUTC: now },
    taxRates: seed.taxRates.map((r) => ({ ...r })),
    accounts: seed.chart.map(([Code, Name, Type, TaxType, extra]) => ({
      AccountID: randomUUID(),
      Code,
      Name,
      Type,
      TaxType,
      Class: classOfType(Type),
      Status: extra?.archived ? 'ARCHIVED' : 'ACTIVE',
      EnablePaymentsToAccount: Boolean(extra?.payments),
      ...(extra?.system ? { SystemAccount: extra.system } : {}),
      ...(extra?.bank
        ? { BankAccountNumber: extra.bank, BankAccountType: 'BANK', CurrencyCode: seed.currencies[0] }
        : {}),
      UpdatedDateUTC: now,
    })),
    currencies: seed.currencies.map((Code) => ({ Code, Description: CURRENCY_NAMES[Code] ?? Code })),
    contacts,
    invoices: new Map(),
    creditNotes: new Map(),
    payments: new Map(),
    sequences: { invoice: 0, creditNote: 0 },
  }
}
