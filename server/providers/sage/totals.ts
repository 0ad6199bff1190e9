import { minorUnitsOf } from '../../../shared/currencies.ts'
import { divRound, parseDecimal } from '../../../shared/money.ts'
import type { TotalsInput, TotalsOutput } from '../sync-contract.ts'

const pow10 = (n: number) => 10n ** BigInt(n)

/**
 * How Sage v3.1 turns a line into money. Sage computes quantity × unit price, rounded half away
 * from zero to the currency's minor unit, takes the discount off that, and does NOT compute the
 * tax: `tax_amount` is required on every line whose rate is not zero, exempt or no_tax, and is
 * stored as sent (PROVIDERS 3.3; the SDK docs' line schema). So the tax is ours, worked out per
 * line on the discounted amount and rounded per line, and the document is the sum of its lines:
 * the figures we send are the figures Sage keeps. Tax-inclusive lines (`unit_price_includes_tax`)
 * back the tax out of the discounted gross: tax = gross × r / (100 + r), net = gross − tax.
 * The discount we send as an amount (`discount_amount`), computed here from a rate, so Sage has no
 * rounding of its own to apply to it.
 */
export function sageLine(
  line: TotalsInput['lines'][number],
  currency: string,
  amounts: TotalsInput['amounts'],
): { grossMinor: bigint; discountMinor: bigint; netMinor: bigint; taxMinor: bigint } {
  const digits = minorUnitsOf(currency)
  const q = parseDecimal(line.quantity)
  const p = parseDecimal(line.unitPrice)
  const grossMinor = divRound(q.value * p.value * pow10(digits), pow10(q.scale + p.scale))
  let discountMinor = line.discountMinor ?? 0n
  if (line.discountMinor === null && line.discountRate !== null) {
    const d = parseDecimal(line.discountRate)
    discountMinor = divRound(grossMinor * d.value, 100n * pow10(d.scale))
  }
  const after = grossMinor - discountMinor
  if (line.taxRate === null) return { grossMinor, discountMinor, netMinor: after, taxMinor: 0n }
  const r = parseDecimal(line.taxRate)
  const hundred = 100n * pow10(r.scale)
  if (amounts === 'tax_inclusive') {
    const taxMinor = divRound(after * r.value, hundred + r.value)
    return { grossMinor, discountMinor, netMinor: after - taxMinor, taxMinor }
  }
  return { grossMinor, discountMinor, netMinor: after, taxMinor: divRound(after * r.value, hundred) }
}

/**
 * Sage's totals for an invoice: per-line rounding, summed.
 *
 * @example sageTotals({ currency: 'GBP', amounts: 'tax_exclusive', lines: [{ quantity: '3', unitPrice: '0.335', discountRate: null, discountMinor: null, taxRate: '20' }] })
 * // { lines: [{ netMinor: 101n, taxMinor: 20n }], subtotalMinor: 101n, taxMinor: 20n, totalMinor: 121n }
 */
export function sageTotals(input: TotalsInput): TotalsOutput {
  const lines = input.lines.map((l) => {
    const { netMinor, taxMinor } = sageLine(l, input.currency, input.amounts)
    return { netMinor, taxMinor }
  })
  const subtotalMinor = lines.reduce((sum, l) => sum + l.netMinor, 0n)
  const taxMinor = lines.reduce((sum, l) => sum + l.taxMinor, 0n)
  return { lines, subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor }
}
