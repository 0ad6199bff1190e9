import { minorUnitsOf } from '../../../shared/currencies.ts'
import { parseDecimal } from '../../../shared/money.ts'
import { ProviderError } from '../provider.ts'

/**
 * Xero keeps every amount (line amounts, tax, totals, discounts) at two decimal places whatever
 * the currency ("All monetary calculations in Xero are to two decimals places", Rounding in Xero,
 * https://developer.xero.com/documentation/guides/how-to-guides/rounding-in-xero). So Xero's
 * cents are the unit here, turned into the currency's own minor units at the edge: exact for
 * 2- and 3-decimal currencies (KWD), and for 0-decimal ones (JPY) only when the amount is whole.
 */
export const XERO_MONEY_DP = 2
const CENTS = 10n ** BigInt(XERO_MONEY_DP)

function unrepresentable(cents: bigint, currency: string): ProviderError {
  const sign = cents < 0n ? '-' : ''
  const abs = cents < 0n ? -cents : cents
  const text = `${sign}${abs / CENTS}.${(abs % CENTS).toString().padStart(XERO_MONEY_DP, '0')}`
  return new ProviderError(
    'xero',
    'validation',
    `Xero keeps amounts to ${XERO_MONEY_DP} decimal places: ${text} ${currency} has no exact value in ${currency}'s minor units`,
  )
}

/** Xero cents as the currency's minor units. */
export function centsToMinor(cents: bigint, currency: string): bigint {
  const digits = minorUnitsOf(currency)
  if (digits >= XERO_MONEY_DP) return cents * 10n ** BigInt(digits - XERO_MONEY_DP)
  const step = 10n ** BigInt(XERO_MONEY_DP - digits)
  if (cents % step !== 0n) throw unrepresentable(cents, currency)
  return cents / step
}

/** The currency's minor units as Xero cents (a KWD amount with a third decimal cannot be sent). */
export function minorToCents(minor: bigint, currency: string): bigint {
  const digits = minorUnitsOf(currency)
  if (digits <= XERO_MONEY_DP) return minor * 10n ** BigInt(XERO_MONEY_DP - digits)
  const step = 10n ** BigInt(digits - XERO_MONEY_DP)
  if (minor % step !== 0n) {
    throw new ProviderError(
      'xero',
      'validation',
      `Xero keeps amounts to ${XERO_MONEY_DP} decimal places: ${minor} ${currency} minor units cannot be sent`,
    )
  }
  return minor / step
}

/** A JSON number from Xero (two decimals at most) as cents; anything else is not Xero money. */
export function numberToCents(amount: number): bigint {
  try {
    const d = parseDecimal(String(amount))
    if (d.scale > XERO_MONEY_DP) throw new RangeError(`more than ${XERO_MONEY_DP} decimals`)
    return d.value * 10n ** BigInt(XERO_MONEY_DP - d.scale)
  } catch (cause) {
    throw new ProviderError('xero', 'validation', `Xero sent ${amount}, which is not an amount`, { cause })
  }
}

export const xeroToMinor = (amount: number | null | undefined, currency: string): bigint =>
  centsToMinor(numberToCents(amount ?? 0), currency)

/** Cents as the JSON number Xero expects (exact: at most 15 significant digits). */
export function centsToNumber(cents: bigint): number {
  return Number(cents) / Number(CENTS)
}
