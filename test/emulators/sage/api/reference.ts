import { Hono, type Context } from 'hono'
import { recordNotFound } from '../errors.ts'
import { CURRENCIES } from '../seed-chart.ts'
import type { SageState } from '../state.ts'
import type { Business, Stamped } from '../types.ts'
import { ref, selectAttributes, timestamp } from '../wire.ts'
import type { ApiEnv } from './env.ts'
import { listPage } from './listing.ts'

type Renderer<T> = (business: Business, item: T) => Record<string, unknown>

const ledgerAccount: Renderer<Business['ledgerAccounts'][number]> = (_b, a) => ({
  id: a.id,
  displayed_as: `${a.name} (${a.nominalCode})`,
  $path: `/ledger_accounts/${a.id}`,
  ledger_account_type: ref('ledger_account_types', a.typeId, a.typeName),
  included_in_chart: a.includedInChart,
  name: a.name,
  display_name: a.name,
  nominal_code: a.nominalCode,
  tax_rate: a.defaultTaxRateId ? ref('tax_rates', a.defaultTaxRateId, a.defaultTaxRateId) : null,
  visible_in_sales: a.visibleInSales,
  is_control_account: a.isControlAccount,
})

const taxRate: Renderer<Business['taxRates'][number]> = (_b, r) => ({
  id: r.id,
  displayed_as: r.name,
  $path: `/tax_rates/${r.id}`,
  name: r.name.replace(/ [\d.]+%$/, ''),
  percentage: r.percentage,
  is_visible: true,
  editable: false,
  deletable: false,
  is_combined_rate: false,
})

const currency: Renderer<(typeof CURRENCIES)[number]> = (_b, c) => ({
  id: c.id,
  displayed_as: `${c.name} (${c.id})`,
  $path: `/currencies/${c.id}`,
  code: c.id,
  name: c.name,
  symbol: c.symbol,
})

const bankAccount: Renderer<Business['bankAccounts'][number]> = (b, a) => {
  const ledger = b.ledgerAccounts.find((l) => l.id === a.ledgerAccountId)!
  return {
    id: a.id,
    displayed_as: `${a.name} (${ledger.nominalCode})`,
    $path: `/bank_accounts/${a.id}`,
    bank_account_details: { account_name: a.name, account_number: a.accountNumber, sort_code: a.sortCode },
    ledger_account: ref('ledger_accounts', ledger.id, `${ledger.name} (${ledger.nominalCode})`),
    bank_account_type: ref('bank_account_types', a.typeId, 'Current'),
    nominal_code: ledger.nominalCode,
    currency: ref('currencies', a.currencyId, a.currencyId),
    editable: true,
    deletable: false,
  }
}

/** A currency set up for the business, with its rate against the base currency. */
const businessRate: Renderer<(typeof CURRENCIES)[number]> = (b, c) => ({
  id: c.id,
  displayed_as: `${c.name} (${c.id})`,
  $path: `/business_exchange_rates/${c.id}`,
  rate: c.perGbp,
  inverse_rate: Number((1 / c.perGbp).toFixed(6)),
  base_currency: ref('currencies', b.baseCurrencyId, b.baseCurrencyId),
  currency: ref('currencies', c.id, c.id),
})

export const renderBusiness = (b: Business) => ({
  id: b.id,
  displayed_as: b.name,
  $path: `/businesses/${b.id}`,
  name: b.name,
  address_line_1: b.addressLine1,
  city: b.city,
  postal_code: b.postalCode,
  country: ref('countries', b.countryId, 'United Kingdom (GB)'),
  created_at: timestamp(b.createdAt),
  updated_at: timestamp(b.updatedAt),
})

/** Reference data is fixed per business; it is listed and read like any collection. */
function collection<T extends { id: string }>(
  app: Hono<ApiEnv>,
  name: string,
  items: (b: Business) => T[],
  render: Renderer<T>,
) {
  const stamped = (b: Business) =>
    items(b).map((item) => ({
      item,
      id: item.id,
      createdAt: b.createdAt,
      updatedAt: b.updatedAt,
      deletedAt: null,
    }))
  app.get(`/${name}`, (c) => {
    const b = c.get('business')
    return listPage(c, name, stamped(b), (row: Stamped & { item: T }) => render(b, row.item))
  })
  app.get(`/${name}/:key`, (c) => {
    const b = c.get('business')
    const found = items(b).find((i) => i.id === c.req.param('key'))
    if (!found) throw recordNotFound()
    return c.json(render(b, found))
  })
}

export function createReferenceRoutes(state: SageState) {
  const app = new Hono<ApiEnv>()
  collection(app, 'ledger_accounts', (b) => b.ledgerAccounts, ledgerAccount)
  collection(app, 'tax_rates', (b) => b.taxRates, taxRate)
  collection(app, 'currencies', () => CURRENCIES, currency)
  collection(app, 'bank_accounts', (b) => b.bankAccounts, bankAccount)
  const foreign = (b: Business) =>
    CURRENCIES.filter((c) => c.id !== b.baseCurrencyId && b.currencyIds.includes(c.id))
  collection(app, 'business_exchange_rates', foreign, businessRate)

  // Not paged: the documented response carries "$items_per_page": 2147483647.
  app.get('/businesses', (c: Context<ApiEnv>) => {
    const mine = c.get('user').businessIds.map((id) => state.businesses.get(id)!)
    const attributes = c.req.query('attributes')
    return c.json({
      $total: mine.length,
      $page: 1,
      $next: null,
      $back: null,
      $items_per_page: 2147483647,
      $items: mine.map((b) => selectAttributes(renderBusiness(b), attributes)),
    })
  })
  app.get('/businesses/:key', (c) => {
    const user = c.get('user')
    const key = c.req.param('key')
    if (!user.businessIds.includes(key)) throw recordNotFound()
    return c.json(renderBusiness(state.businesses.get(key)!))
  })

  app.get('/user', (c) => {
    const u = c.get('user')
    return c.json({
      id: u.id,
      displayed_as: `${u.firstName} ${u.lastName}`,
      $path: '/user',
      first_name: u.firstName,
      last_name: u.lastName,
      initials: `${u.firstName[0]}${u.lastName[0]}`,
      email: u.email,
      locale: 'en-GB',
    })
  })

  app.get('/financial_settings', (c) => {
    const b = c.get('business')
    return c.json({
      $path: '/financial_settings',
      year_end_date: b.yearEndDate,
      accounts_start_date: b.accountsStartDate,
      accounting_type: 'accrual',
      base_currency: ref('currencies', b.baseCurrencyId, b.baseCurrencyId),
      multi_currency_enabled: b.multiCurrencyEnabled,
      use_live_exchange_rates: false,
      tax_number: b.taxNumber,
      tax_scheme: b.vatRegistered
        ? ref('tax_schemes', 'STANDARD', 'Standard')
        : ref('tax_schemes', 'NOT_REGISTERED', 'Not VAT Registered'),
      sales_tax_calculation: 'invoice',
      updated_at: timestamp(b.updatedAt),
    })
  })

  return app
}
