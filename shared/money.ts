import { z } from 'zod'
import { CURRENCY_CODES, minorUnitsOf } from './currencies.ts'

/**
 * Money never travels as a float. On the wire it is a decimal string ("1234.50"); in the database
 * and in arithmetic it is integer minor units (123450 pence). Rounding is half away from zero.
 */

export const CurrencySchema = z
  .string()
  .refine((c) => CURRENCY_CODES.includes(c), { message: 'Must be an ISO 4217 currency code such as GBP' })
  .meta({ description: 'ISO 4217 currency code', example: 'GBP' })

/** A non-negative decimal string with at most `scale` decimal places. */
export function decimalString(scale: number, what: string) {
  const pattern = new RegExp(`^\\d{1,15}(\\.\\d{1,${scale}})?$`)
  return z
    .string()
    .max(32)
    .regex(pattern, { message: `${what} must be a decimal string with at most ${scale} decimal places` })
}

/** A decimal as a scaled integer: value × 10^-scale. */
export interface Decimal {
  value: bigint
  scale: number
}

/** @example parseDecimal('12.5') // { value: 125n, scale: 1 } */
export function parseDecimal(text: string): Decimal {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text)
  if (!match) throw new RangeError(`Not a decimal: ${text}`)
  const [, sign, whole = '0', frac = ''] = match
  const value = BigInt(whole + frac) * (sign ? -1n : 1n)
  return { value, scale: frac.length }
}

/** Divides and rounds half away from zero. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n
  const n = numerator < 0n ? -numerator : numerator
  const d = denominator < 0n ? -denominator : denominator
  const q = (n * 2n + d) / (d * 2n)
  return negative ? -q : q
}

const pow10 = (n: number) => 10n ** BigInt(n)

/**
 * A decimal amount in a currency's minor units, refusing more precision than the currency has.
 *
 * @example toMinor('12.50', 'GBP') // 1250n
 */
export function toMinor(amount: string, currency: string): bigint {
  const digits = minorUnitsOf(currency)
  const d = parseDecimal(amount)
  if (d.scale > digits) throw new RangeError(`${currency} amounts have at most ${digits} decimal places`)
  return d.value * pow10(digits - d.scale)
}

/** @example formatMinor(1250n, 'GBP') // '12.50' */
export function formatMinor(minor: bigint | number, currency: string): string {
  const digits = minorUnitsOf(currency)
  const m = BigInt(minor)
  const abs = m < 0n ? -m : m
  const text = abs.toString().padStart(digits + 1, '0')
  const whole = digits ? text.slice(0, -digits) : text
  const frac = digits ? `.${text.slice(-digits)}` : ''
  return `${m < 0n ? '-' : ''}${whole}${frac}`
}

export interface LineAmountsInput {
  quantity: string
  unitPrice: string
  /** Percent off, 0–100. */
  discountRate?: string | undefined
  /** Tax percent, 0–100. */
  taxRate?: string | undefined
}

export interface LineAmounts {
  netMinor: bigint
  taxMinor: bigint
}

/**
 * Net and tax of one line in minor units. The net is rounded once, then tax is computed on the
 * rounded net and rounded per line (as Xero does), so the sum of lines is the invoice total.
 *
 * @example lineAmounts({ quantity: '3', unitPrice: '19.99', taxRate: '20' }, 'GBP') // { netMinor: 5997n, taxMinor: 1199n }
 */
export function lineAmounts(line: LineAmountsInput, currency: string): LineAmounts {
  const digits = minorUnitsOf(currency)
  const q = parseDecimal(line.quantity)
  const p = parseDecimal(line.unitPrice)
  const disc = parseDecimal(line.discountRate ?? '0')
  const rate = parseDecimal(line.taxRate ?? '0')
  // net = q × p × (100 − disc) / 100, in minor units
  const numerator = q.value * p.value * (100n * pow10(disc.scale) - disc.value) * pow10(digits)
  const denominator = pow10(q.scale + p.scale + disc.scale) * 100n
  const netMinor = divRound(numerator, denominator)
  const taxMinor = divRound(netMinor * rate.value, 100n * pow10(rate.scale))
  return { netMinor, taxMinor }
}

export interface Totals {
  subtotalMinor: bigint
  taxMinor: bigint
  totalMinor: bigint
}

/** Sums line amounts into document totals. */
export function documentTotals(lines: readonly LineAmountsInput[], currency: string): Totals {
  let subtotalMinor = 0n
  let taxMinor = 0n
  for (const line of lines) {
    const a = lineAmounts(line, currency)
    subtotalMinor += a.netMinor
    taxMinor += a.taxMinor
  }
  return { subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor }
}
