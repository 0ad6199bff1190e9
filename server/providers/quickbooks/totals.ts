import { minorUnitsOf } from '../../../shared/currencies.ts'
import { divRound, parseDecimal } from '../../../shared/money.ts'
import { ProviderError } from '../provider.ts'
import type { TotalsInput, TotalsOutput } from '../sync-contract.ts'

/** QBO keeps line amounts, tax and totals to two decimals, whatever the currency (Intuit community answers). */
export const QBO_AMOUNT_DECIMALS = 2

const pow10 = (n: number) => 10n ** BigInt(n)

/**
 * A line's amount in cents before tax: Qty × UnitPrice, less the line's discount, rounded half up
 * to the cent once. This is the `Amount` the adapter sends, so QBO and we start from the same cents.
 */
export function lineBaseMinor(line: TotalsInput['lines'][number]): bigint {
  const q = parseDecimal(line.quantity)
  const p = parseDecimal(line.unitPrice)
  if (line.discountRate !== null) {
    const d = parseDecimal(line.discountRate)
    const numerator = q.value * p.value * (100n * pow10(d.scale) - d.value) * 100n
    return divRound(numerator, pow10(q.scale + p.scale + d.scale) * 100n)
  }
  const gross = divRound(q.value * p.value * 100n, pow10(q.scale + p.scale))
  return gross - (line.discountMinor ?? 0n)
}

/** Amounts in a currency QBO cannot carry to its own precision would never match: refused up front. */
export function assertCurrencyFits(currency: string): void {
  const digits = minorUnitsOf(currency)
  if (digits !== QBO_AMOUNT_DECIMALS)
    throw new ProviderError(
      'quickbooks',
      'validation',
      `QuickBooks keeps amounts to ${QBO_AMOUNT_DECIMALS} decimals; ${currency} has ${digits}, so totals could not match`,
    )
}

/**
 * QuickBooks Online outside the US (tax codes per line) taxes each line and rounds that line's tax
 * to the cent, then sums: "QuickBooks Online will always calculate line-by-line" (Intuit, community
 * answer on GST/HST rounding; also Teachworks' and Breadwinner's QBO notes). Tax-inclusive lines
 * back the tax out of the line's gross amount, per line: tax = gross × r / (100 + r).
 *
 * @example quickBooksTotals({ currency: 'GBP', amounts: 'tax_exclusive', lines: [{ quantity: '3', unitPrice: '1.005', discountRate: null, discountMinor: null, taxRate: '20' }] })
 * // lines [{ netMinor: 302n, taxMinor: 60n }], totalMinor 362n
 */
export function quickBooksTotals(input: TotalsInput): TotalsOutput {
  assertCurrencyFits(input.currency)
  const lines = input.lines.map((line) => {
    const base = lineBaseMinor(line)
    if (line.taxRate === null) return { netMinor: base, taxMinor: 0n }
    const r = parseDecimal(line.taxRate)
    if (input.amounts === 'tax_exclusive')
      return { netMinor: base, taxMinor: divRound(base * r.value, 100n * pow10(r.scale)) }
    const taxMinor = divRound(base * r.value, 100n * pow10(r.scale) + r.value)
    return { netMinor: base - taxMinor, taxMinor }
  })
  const subtotalMinor = lines.reduce((s, l) => s + l.netMinor, 0n)
  const taxMinor = lines.reduce((s, l) => s + l.taxMinor, 0n)
  return { lines, subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor }
}
