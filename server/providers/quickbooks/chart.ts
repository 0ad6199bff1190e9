import { z } from 'zod'
import type { ProviderAuth, ProviderItem, ProviderTaxRate } from '../sync-contract.ts'
import type { CompanyApi } from './company.ts'
import { fromQboAccount, fromQboItem, fromQboTaxCode } from './mappers.ts'
import { SINGLE_REQUEST_ID_MAX, queryAll, realmAuth, requestIdFor } from './queries.ts'
import {
  AccountRawSchema,
  CompanyCurrencyRawSchema,
  ItemRawSchema,
  PreferencesRawSchema,
  TaxCodeRawSchema,
  TaxRateRawSchema,
} from './wire.ts'

/** Name lists hide inactive rows unless the query asks for them: the mapping UI shows both, marked. */
const ACTIVE_OR_NOT = 'Active IN (true, false)'

/**
 * The chart the mapping screens are filled from (CERTIFICATION XR-M02/QB-P11): accounts, the tax
 * codes lines reference (each with its summed sales rate), the currencies the company can invoice
 * in, and the products and services every QBO line needs (PROVIDERS 2.7 "An Item is effectively
 * required").
 */
export function createQuickBooksChart(company: CompanyApi) {
  return {
    accounts: async (auth: ProviderAuth) =>
      (await queryAll(company, auth, 'Account', ACTIVE_OR_NOT, AccountRawSchema)).map(fromQboAccount),

    async taxRates(auth: ProviderAuth): Promise<ProviderTaxRate[]> {
      const [codes, rates] = await Promise.all([
        queryAll(company, auth, 'TaxCode', ACTIVE_OR_NOT, TaxCodeRawSchema),
        queryAll(company, auth, 'TaxRate', ACTIVE_OR_NOT, TaxRateRawSchema),
      ])
      const byId = new Map(rates.map((r) => [r.Id, r]))
      return codes.map((code) => fromQboTaxCode(code, byId))
    },

    /** The home currency, and with multicurrency on, every active company currency. */
    async currencies(auth: ProviderAuth): Promise<string[]> {
      // API docs: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/preferences
      const { body } = await company.call(
        realmAuth(auth),
        'preferences',
        z.object({ Preferences: PreferencesRawSchema }),
      )
      const prefs = body.Preferences.CurrencyPrefs
      const home = prefs?.HomeCurrency?.value
      const codes = home ? [home] : []
      if (prefs?.MultiCurrencyEnabled !== true) return codes
      // API docs: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/companycurrency
      const enabled = await queryAll(company, auth, 'CompanyCurrency', '', CompanyCurrencyRawSchema)
      for (const c of enabled) if (c.Active !== false && !codes.includes(c.Code)) codes.push(c.Code)
      return codes
    },

    items: async (auth: ProviderAuth): Promise<ProviderItem[]> =>
      (await queryAll(company, auth, 'Item', ACTIVE_OR_NOT, ItemRawSchema)).map(fromQboItem),

    async createItem(
      auth: ProviderAuth,
      item: { name: string; incomeAccountId: string },
      idempotencyKey: string,
    ): Promise<ProviderItem> {
      // API docs: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item#create-an-item
      const { body } = await company.call(realmAuth(auth), 'item', z.object({ Item: ItemRawSchema }), {
        body: { Name: item.name, Type: 'Service', IncomeAccountRef: { value: item.incomeAccountId } },
        requestId: requestIdFor(idempotencyKey, SINGLE_REQUEST_ID_MAX),
      })
      return fromQboItem(body.Item)
    },
  }
}
