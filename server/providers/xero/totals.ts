import type { Decimal } from '../../../shared/money.ts'
import { divRound, parseDecimal } from '../../../shared/money.ts'
import type { TotalsInput, TotalsOutput } from '../sync-contract.ts'
import { centsToMinor, minorToCents, XERO_MONEY_DP } from './money.ts'

/**
 * Xero's arithmetic (Rounding in Xero,
 * https://developer.xero.com/documentation/guides/how-to-guides/rounding-in-xero; PROVIDERS 1.7):
 * - UnitAmount is kept to 4 decimals (we always send unitdp=4), Quantity as sent;
 * - the line amount is Quantity × UnitAmount less the discount, rounded to 2 decimals: a
 *   DiscountRate applies before that rounding, a DiscountAmount (2 decimals) after it;
 * - tax is worked out per line on the rounded line amount and rounded to 2 decimals, then summed;
 *   a tax-inclusive line backs its tax out of the line amount (amount × r / (100 + r));
 * - Total is the sum of line amounts (inclusive) or of line amounts plus tax (exclusive).
 * Rounding is half away from zero. Figures are Xero cents until the end, then the currency's
 * minor units (money.ts explains why a JPY line with a fraction of a yen is refused).
 */
const UNIT_DP = 4
const pow10 = (n: number) => 10n ** BigInt(n)

/** Rounds a decimal to at most `dp` places, half away from zero. */
function atMost(d: Decimal, dp: number): Decimal {
  return d.scale <= dp ? d : { value: divRound(d.value, pow10(d.scale - dp)), scale: dp }
}

interface Line {
  quantity: string
  unitPrice: string
  discountRate: string | null
  discountMinor: bigint | null
  taxRate: string | null
}

/** One line in Xero cents: the amount excluding tax (`net`) and its tax. */
export function xeroLineCents(
  line: Line,
  amounts: TotalsInput['amounts'],
  currency: string,
): { net: bigint; tax: bigint; lineAmount: bigint } {
  const q = parseDecimal(line.quantity)
  const p = atMost(parseDecimal(line.unitPrice), UNIT_DP)
  const product = q.value * p.value
  const scale = q.scale + p.scale
  let lineAmount: bigint
  if (line.discountRate !== null) {
    const d = parseDecimal(line.discountRate)
    const kept = 100n * pow10(d.scale) - d.value
    lineAmount = divRound(product * kept * pow10(XERO_MONEY_DP), pow10(scale + d.scale) * 100n)
  } else {
    const gross = divRound(product * pow10(XERO_MONEY_DP), pow10(scale))
    lineAmount = gross - (line.discountMinor !== null ? minorToCents(line.discountMinor, currency) : 0n)
  }
  const r = parseDecimal(line.taxRate ?? '0')
  const hundred = 100n * pow10(r.scale)
  const tax =
    amounts === 'tax_inclusive'
      ? divRound(lineAmount * r.value, hundred + r.value)
      : divRound(lineAmount * r.value, hundred)
  return { net: amounts === 'tax_inclusive' ? lineAmount - tax : lineAmount, tax, lineAmount }
}

export function xeroTotals(input: TotalsInput): TotalsOutput {
  const cents = input.lines.map((l) => xeroLineCents(l, input.amounts, input.currency))
  const subtotal = cents.reduce((a, l) => a + l.net, 0n)
  const tax = cents.reduce((a, l) => a + l.tax, 0n)
  const minor = (c: bigint) => centsToMinor(c, input.currency)
  return {
    lines: cents.map((l) => ({ netMinor: minor(l.net), taxMinor: minor(l.tax) })),
    subtotalMinor: minor(subtotal),
    taxMinor: minor(tax),
    totalMinor: minor(subtotal + tax),
  }
}
