import type { ProviderSync } from '../sync-contract.ts'
import type { SageApi } from './api.ts'
import { fromSageBankAccount, fromSageLedgerAccount, fromSageTaxRate } from './mappers.ts'
import {
  SageBankAccountRaw,
  SageBusinessRateRaw,
  SageFinancialSettingsRaw,
  SageLedgerAccountRaw,
  SageTaxRateRaw,
} from './wire.ts'

/** The business's own ledger, bank accounts, tax rates and currencies, for the mapping screens. */
export function createSageChart(api: SageApi): ProviderSync['chart'] {
  return {
    async accounts(auth) {
      // API docs: https://developer.sage.com/accounting/reference/accounting-setup/#tag/Ledger-Accounts/operation/getLedgerAccounts
      const ledger = await api.all(auth, '/ledger_accounts', { attributes: 'all' }, SageLedgerAccountRaw)
      // API docs: https://developer.sage.com/accounting/reference/banking/#tag/Bank-Accounts/operation/getBankAccounts
      const banks = await api.all(auth, '/bank_accounts', { attributes: 'all' }, SageBankAccountRaw)
      // A bank's ledger account is listed as its bank account, which is what a payment names.
      return [
        ...ledger.filter((a) => a.ledger_account_type?.id !== 'BANK').map(fromSageLedgerAccount),
        ...banks.map(fromSageBankAccount),
      ]
    },

    async taxRates(auth) {
      // API docs: https://developer.sage.com/accounting/reference/taxes/#tag/Tax-Rates/operation/getTaxRates
      const rates = await api.all(auth, '/tax_rates', { attributes: 'all' }, SageTaxRateRaw)
      return rates.map(fromSageTaxRate)
    },

    /**
     * The base currency, and with multi-currency on, the currencies set up for the business
     * (Settings > Currencies, listed as /business_exchange_rates); /currencies lists every ISO
     * currency Sage knows, most of which the business cannot invoice in.
     */
    async currencies(auth) {
      // API docs: https://developer.sage.com/accounting/reference/settings/#tag/Financial-Settings/operation/getFinancialSettings
      const settings = await api.get(auth, '/financial_settings', {}, SageFinancialSettingsRaw)
      const base = settings.base_currency.id
      if (!settings.multi_currency_enabled) return [base]
      // API docs: https://developer.sage.com/accounting/reference/currencies/#tag/Business-Exchange-Rates/operation/getBusinessExchangeRates
      const rates = await api.all(
        auth,
        '/business_exchange_rates',
        { attributes: 'all' },
        SageBusinessRateRaw,
      )
      return [...new Set([base, ...rates.map((r) => r.currency.id)])]
    },
  }
}
