/**
 * ISO 4217 active currency codes with their minor-unit counts (the "E" column of the standard).
 * Funds codes and metals (XAU, XDR, …) are left out: an invoice is never raised in them.
 */
const BY_EXPONENT: Record<0 | 2 | 3 | 4, string> = {
  0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF',
  2:
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD ' +
    'CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD ' +
    'HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD ' +
    'MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON ' +
    'RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD ' +
    'TZS UAH USD UYU UZS VES WST XCD XCG YER ZAR ZMW ZWG',
  3: 'BHD IQD JOD KWD LYD OMR TND',
  4: 'CLF UYW',
}

export const MINOR_UNITS: ReadonlyMap<string, number> = new Map(
  Object.entries(BY_EXPONENT).flatMap(([exp, codes]) => codes.split(/\s+/).map((c) => [c, Number(exp)])),
)

export const CURRENCY_CODES = [...MINOR_UNITS.keys()].sort()

/** @example minorUnitsOf('JPY') // 0 */
export function minorUnitsOf(currency: string): number {
  const digits = MINOR_UNITS.get(currency)
  if (digits === undefined) throw new RangeError(`Unknown currency ${currency}`)
  return digits
}
