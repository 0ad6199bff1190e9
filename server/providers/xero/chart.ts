import type { ProviderSync } from '../sync-contract.ts'
import type { XeroApiClient } from './client.ts'
import { fromXeroAccount, fromXeroTaxRate } from './mappers.ts'
import { AccountsEnvelopeSchema, CurrenciesEnvelopeSchema, TaxRatesEnvelopeSchema } from './wire.ts'

/**
 * The organisation's chart, read whole (these lists are not paged): accounts with their status,
 * so a mapping to an archived one can be caught before writing (XR-M04); the tax rates that can
 * apply to revenue (XR-X01), the only ones a sales line may carry; the enabled currencies (XR-D03).
 */
export function createXeroChart(api: XeroApiClient): ProviderSync['chart'] {
  return {
    async accounts(auth) {
      // API docs: https://developer.xero.com/documentation/api/accounting/accounts#get-accounts
      const { data } = await api.get(auth, '/Accounts', {}, AccountsEnvelopeSchema)
      return data.Accounts.map(fromXeroAccount)
    },
    async taxRates(auth) {
      // API docs: https://developer.xero.com/documentation/api/accounting/taxrates#get-taxrates
      const { data } = await api.get(auth, '/TaxRates', {}, TaxRatesEnvelopeSchema)
      return data.TaxRates.filter((r) => r.CanApplyToRevenue !== false).map(fromXeroTaxRate)
    },
    async currencies(auth) {
      // The base currency is among them; with multicurrency off it is the only one.
      // API docs: https://developer.xero.com/documentation/api/accounting/currencies#get-currencies
      const { data } = await api.get(auth, '/Currencies', {}, CurrenciesEnvelopeSchema)
      return data.Currencies.map((c) => c.Code)
    },
  }
}
