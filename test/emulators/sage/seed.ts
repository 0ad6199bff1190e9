import { createHash } from 'node:crypto'
import { UK_CHART, UK_UNREGISTERED_RATES, UK_VAT_RATES } from './seed-chart.ts'
import type { Business, Contact, LedgerAccount, TaxRate, User } from './types.ts'

/** Ids that look like Sage's and stay the same from run to run, so a demo can be scripted. */
export const stableId = (...parts: string[]) =>
  createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 32)

export const DEMO_IDS = {
  hartley: stableId('business', 'hartley-finch'),
  brightwater: stableId('business', 'brightwater'),
  dana: stableId('user', 'dana'),
  sam: stableId('user', 'sam'),
}

interface BusinessSpec {
  id: string
  name: string
  addressLine1: string
  city: string
  postalCode: string
  vatNumber: string | null
  multiCurrencyEnabled: boolean
  contacts: { name: string; types: string[]; reference: string; email: string; currencyId?: string }[]
}

const SPECS: BusinessSpec[] = [
  {
    id: DEMO_IDS.hartley,
    name: 'Hartley & Finch Ltd',
    addressLine1: '14 Wharf Street',
    city: 'Bristol',
    postalCode: 'BS1 4RN',
    vatNumber: 'GB293847561',
    multiCurrencyEnabled: true,
    contacts: [
      { name: 'Acme Trading Ltd', types: ['CUSTOMER'], reference: 'ACME001', email: 'accounts@acme.example' },
      { name: 'Northwind Stores', types: ['CUSTOMER'], reference: 'NORTH001', email: 'ap@northwind.example' },
      {
        name: 'Globex GmbH',
        types: ['CUSTOMER'],
        reference: 'GLOBEX01',
        email: 'ap@globex.example',
        currencyId: 'EUR',
      },
      { name: 'Paper Supplies Co', types: ['VENDOR'], reference: 'PAPER001', email: 'sales@paper.example' },
    ],
  },
  {
    id: DEMO_IDS.brightwater,
    name: 'Brightwater Studio Ltd',
    addressLine1: '3 Mill Lane',
    city: 'Leeds',
    postalCode: 'LS2 7EW',
    vatNumber: null,
    multiCurrencyEnabled: false,
    contacts: [
      { name: 'Lumen Design', types: ['CUSTOMER'], reference: 'LUMEN001', email: 'hello@lumen.example' },
    ],
  },
]

export const SEED_USERS: User[] = [
  {
    id: DEMO_IDS.dana,
    firstName: 'Dana',
    lastName: 'Hartley',
    email: 'dana@hartleyfinch.example',
    businessIds: [DEMO_IDS.hartley, DEMO_IDS.brightwater],
    leadBusinessId: DEMO_IDS.hartley,
  },
  {
    id: DEMO_IDS.sam,
    firstName: 'Sam',
    lastName: 'Okafor',
    email: 'sam@brightwater.example',
    businessIds: [DEMO_IDS.brightwater],
    leadBusinessId: DEMO_IDS.brightwater,
  },
]

function chart(businessId: string, rates: TaxRate[]): LedgerAccount[] {
  return UK_CHART.map(({ defaultTaxRate, ...account }) => {
    const rate = rates.find((r) => r.id === `GB_${defaultTaxRate}`) ?? null
    return {
      ...account,
      id: stableId(businessId, 'ledger', String(account.nominalCode)),
      defaultTaxRateId: rate?.id ?? null,
    }
  })
}

function buildBusiness(spec: BusinessSpec, now: number): Business {
  const taxRates = spec.vatNumber ? UK_VAT_RATES : UK_UNREGISTERED_RATES
  const ledgerAccounts = chart(spec.id, taxRates)
  const bankLedger = ledgerAccounts.find((a) => a.nominalCode === 1200)!
  const contacts = new Map<string, Contact>()
  for (const c of spec.contacts) {
    const id = stableId(spec.id, 'contact', c.reference)
    contacts.set(id, {
      id,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      name: c.name,
      contactTypeIds: c.types,
      reference: c.reference,
      email: c.email,
      telephone: null,
      taxNumber: null,
      notes: null,
      currencyId: c.currencyId ?? 'GBP',
      creditDays: null,
      sourceGuid: null,
      mainAddress: null,
    })
  }
  return {
    id: spec.id,
    name: spec.name,
    countryId: 'GB',
    addressLine1: spec.addressLine1,
    city: spec.city,
    postalCode: spec.postalCode,
    vatRegistered: spec.vatNumber !== null,
    taxNumber: spec.vatNumber,
    baseCurrencyId: 'GBP',
    multiCurrencyEnabled: spec.multiCurrencyEnabled,
    currencyIds: spec.multiCurrencyEnabled ? ['GBP', 'EUR', 'USD'] : ['GBP'],
    subscriptionActive: true,
    createdAt: now,
    updatedAt: now,
    yearEndDate: '2027-03-31',
    accountsStartDate: '2026-04-01',
    ledgerAccounts,
    taxRates,
    bankAccounts: [
      {
        id: stableId(spec.id, 'bank', '1200'),
        name: 'Current',
        ledgerAccountId: bankLedger.id,
        typeId: 'CHECKING',
        accountNumber: '41029384',
        sortCode: '20-45-77',
        currencyId: 'GBP',
      },
    ],
    contacts,
    artefacts: new Map(),
    settlements: new Map(),
    counters: { sales_invoice: 0, sales_credit_note: 0 },
  }
}

/** Fresh demo data: two UK businesses (one VAT-registered with multi-currency, one not) and two users. */
export function seedBusinesses(now: number): Map<string, Business> {
  return new Map(SPECS.map((spec) => [spec.id, buildBusiness(spec, now)]))
}
