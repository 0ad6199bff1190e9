import { recordInvalid, recordNotFound } from '../errors.ts'
import { CURRENCIES } from '../seed-chart.ts'
import type { Business, Contact, Currency } from '../types.ts'

/** Reference lookups shared by the transaction routes; each refuses the way Sage does. */
export function liveContact(business: Business, id: string): Contact | undefined {
  const contact = business.contacts.get(id)
  return contact && contact.deletedAt === null ? contact : undefined
}

/** A sales document's contact must be a customer: Sage answers "Couldn't find Customer." (RecordInvalid). */
export function customer(business: Business, id: string): Contact {
  const contact = liveContact(business, id)
  if (!contact?.contactTypeIds.includes('CUSTOMER')) throw recordInvalid("Couldn't find Customer.")
  return contact
}

/**
 * Currencies exist globally; a business without multi-currency may use only its base currency, and
 * one with it only the currencies set up for it (Settings > Currencies, listed by /business_exchange_rates).
 */
export function usableCurrency(business: Business, id: string, source = 'currency_id'): Currency {
  const currency = CURRENCIES.find((c) => c.id === id)
  if (!currency) throw recordNotFound()
  if (currency.id !== business.baseCurrencyId && !business.multiCurrencyEnabled)
    throw recordInvalid('Multi-currency is not enabled for this business.', source)
  if (!business.currencyIds.includes(currency.id))
    throw recordInvalid('The currency is not set up for this business.', source)
  return currency
}

export function bankAccount(business: Business, id: string) {
  const account = business.bankAccounts.find((b) => b.id === id)
  if (!account) throw recordNotFound()
  return account
}
