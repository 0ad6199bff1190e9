import type { Company } from './store.ts'

/**
 * Turns the seeded company into a UK one on QBO's non-US tax model ([doc] .../workflows/manage-sales-
 * tax-for-non-us-locales): home currency GBP, no automated sales tax, and VAT codes that every
 * sales line references through TaxCodeRef, each code combining TaxRates of HMRC. The rates are
 * the UK ones (20% standard, 5% reduced, 0% zero-rated, exempt) plus a retired 17.5% code.
 */
const GBP = { value: 'GBP', name: 'British Pound Sterling' }
const RATES: [string, string, number, boolean][] = [
  ['1', '20.0% S', 20, true],
  ['2', '5.0% R', 5, true],
  ['3', '0.0% Z', 0, true],
  ['4', 'Exempt', 0, true],
  ['5', '17.5% S', 17.5, false],
]
/** [TaxCode Id, Name, its rate, Active] */
const CODES: [string, string, string, boolean][] = [
  ['2', '20.0% S', '1', true],
  ['3', '5.0% R', '2', true],
  ['4', '0.0% Z', '3', true],
  ['5', 'Exempt', '4', true],
  ['6', '17.5% S', '5', false],
]
const UK_ADDR = { Line1: '1 Temple Way', City: 'Bristol', PostalCode: 'BS1 6HG', Country: 'GB' }

export function localiseToUk(company: Company): void {
  const info = company.info()
  Object.assign(info, { Country: 'GB', CompanyAddr: UK_ADDR, LegalAddr: UK_ADDR })
  const prefs = company.preferences()
  prefs.TaxPrefs = { UsingSalesTax: true, PartnerTaxEnabled: false }
  ;(prefs.CurrencyPrefs as Record<string, unknown>).HomeCurrency = GBP
  for (const type of ['Account', 'Customer'] as const) for (const e of company.list(type)) e.CurrencyRef = GBP
  const multicurrency = (prefs.CurrencyPrefs as Record<string, unknown>).MultiCurrencyEnabled === true
  const pound = company.list('CompanyCurrency').find((c) => c.Code === 'GBP')
  if (pound) Object.assign(pound, { Code: 'USD', Name: 'United States Dollar', Active: multicurrency })
  company.insert('CompanyCurrency', { Id: '3', Code: 'JPY', Name: 'Japanese Yen', Active: multicurrency })
  company.insert('CompanyCurrency', { Id: '4', Code: 'KWD', Name: 'Kuwaiti Dinar', Active: multicurrency })

  company.insert('TaxAgency', { Id: '1', DisplayName: 'HM Revenue & Customs', TaxTrackedOnSales: true })
  for (const [Id, Name, RateValue, Active] of RATES)
    company.insert('TaxRate', { Id, Name, Description: Name, Active, RateValue, AgencyRef: { value: '1' } })
  for (const [Id, Name, rate, Active] of CODES)
    company.insert('TaxCode', {
      Id,
      Name,
      Description: Name,
      Active,
      Hidden: false,
      Taxable: true,
      TaxGroup: false,
      SalesTaxRateList: {
        TaxRateDetail: [
          { TaxRateRef: { value: rate, name: Name }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 },
        ],
      },
      PurchaseTaxRateList: { TaxRateDetail: [] },
    })
}

/** The home currency from Preferences (USD for the default US company). */
export function homeCurrency(company: Company): string {
  const prefs = company.preferences().CurrencyPrefs as { HomeCurrency?: { value?: string } } | undefined
  return prefs?.HomeCurrency?.value ?? 'USD'
}

export const isUsCompany = (company: Company) => company.info().Country === 'US'
