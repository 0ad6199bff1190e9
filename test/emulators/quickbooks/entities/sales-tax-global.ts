import { includedTaxCents, percentCents } from './decimal.ts'
import { fromCents, named, refValue, resolveRef, type Fields, type WriteContext } from './context.ts'

/** One taxed line of a non-US company: its code, rates, and the cents QBO worked out for it. */
export interface TaxedLine {
  rates: { id: string; percent: number; cents: number }[]
  netCents: number
  taxCents: number
}

/**
 * Tax of one line outside the US ([doc] manage-sales-tax-for-non-us-locales): the line's TaxCodeRef
 * names a TaxCode (2500 unknown, 610 inactive) whose sales rates apply to that line alone, and the
 * line's tax is rounded to the cent before the document sums it, "QuickBooks Online will always
 * calculate line-by-line" (Intuit, community answer on GST rounding). With TaxInclusive amounts
 * the tax is backed out of the line's gross amount: gross × r / (100 + r).
 */
export function taxLine(ctx: WriteContext, ref: unknown, amountCents: number, inclusive: boolean): TaxedLine {
  const code = resolveRef(ctx, 'TaxCode', ref, 'Line.SalesItemLineDetail.TaxCodeRef')
  const details = ((code.SalesTaxRateList as Fields | undefined)?.TaxRateDetail as Fields[] | undefined) ?? []
  const rates = details.map((d) => {
    const rate = ctx.company.get('TaxRate', refValue(d.TaxRateRef) ?? '')
    return { id: rate?.Id ?? '', percent: Number(rate?.RateValue ?? 0), cents: 0 }
  })
  const combined = rates.reduce((s, r) => s + r.percent, 0)
  if (inclusive) {
    const taxCents = includedTaxCents(amountCents, combined)
    // One rate per code in the seeded VAT codes; several share the backed-out tax by rate.
    let left = taxCents
    rates.forEach((r, i) => {
      r.cents = i === rates.length - 1 ? left : Math.round((taxCents * r.percent) / (combined || 1))
      left -= r.cents
    })
    return { rates, netCents: amountCents - taxCents, taxCents }
  }
  for (const r of rates) r.cents = percentCents(amountCents, r.percent)
  return { rates, netCents: amountCents, taxCents: rates.reduce((s, r) => s + r.cents, 0) }
}

/** TxnTaxDetail of a non-US form: one TaxLine per rate, summing the lines' own rounded taxes. */
export function globalTaxDetail(
  ctx: WriteContext,
  lines: TaxedLine[],
): { detail: Fields; totalCents: number } {
  const byRate = new Map<string, { percent: number; cents: number; net: number }>()
  for (const line of lines)
    for (const r of line.rates) {
      const t = byRate.get(r.id) ?? { percent: r.percent, cents: 0, net: 0 }
      t.cents += r.cents
      t.net += line.netCents
      byRate.set(r.id, t)
    }
  const totalCents = lines.reduce((s, l) => s + l.taxCents, 0)
  const TaxLine = [...byRate].map(([id, t]) => {
    const rate = ctx.company.get('TaxRate', id)
    return {
      Amount: fromCents(t.cents),
      DetailType: 'TaxLineDetail',
      TaxLineDetail: {
        TaxRateRef: rate ? named(rate) : { value: id },
        PercentBased: true,
        TaxPercent: t.percent,
        NetAmountTaxable: fromCents(t.net),
      },
    }
  })
  return { detail: { TotalTax: fromCents(totalCents), TaxLine }, totalCents }
}
