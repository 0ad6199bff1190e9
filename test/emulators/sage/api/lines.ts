import { recordInvalid, recordNotFound } from '../errors.ts'
import { lineAmountMinor, toMinor } from '../money.ts'
import type { Business, Line } from '../types.ts'
import { newId } from '../wire.ts'
import { bool, checkParams, num, str, throwIfProblems, type ParamSpec } from './params.ts'

const LINE_SPEC: ParamSpec = {
  description: { kind: 'string', required: true },
  ledger_account_id: { kind: 'string', required: true },
  unit_price: { kind: 'number', required: true },
  quantity: { kind: 'number' },
  tax_rate_id: { kind: 'string' },
  tax_amount: { kind: 'number' },
  discount_amount: { kind: 'number' },
  discount_percentage: { kind: 'number' },
  unit_price_includes_tax: { kind: 'boolean' },
  id: { kind: 'string' },
  _destroy: { kind: 'boolean' },
}

/**
 * On a PUT the lines sent are the document's lines: one carrying the `id` of a line it has keeps
 * that id (updated in place), one without is new, `{id, _destroy: true}` removes one, and an id the
 * document does not have is "Couldn't find record." (nested attributes of the Rails API behind v3.1).
 *
 * Builds invoice or credit-note lines the way v3.1 takes them: Sage does not compute VAT on a line,
 * `tax_amount` is required unless the rate is zero, exempt or no_tax (SDK docs), and is taken as
 * sent. A VAT-registered business needs a tax rate on every line ("This field is required." with
 * `$source` `line_items.tax_rate_id`, Sage's documented example). Amounts are rounded to the penny.
 */
export function buildLines(business: Business, raw: unknown[], path: string, existing: Line[] = []): Line[] {
  const asObject = (l: unknown) => (typeof l === 'object' && l !== null ? (l as Record<string, unknown>) : {})
  const ids = raw.map((l) => str(asObject(l).id)).filter((id) => id !== undefined)
  if (new Set(ids).size !== ids.length || ids.some((id) => !existing.some((e) => e.id === id)))
    throw recordNotFound()
  const kept = raw.filter((l) => !bool(asObject(l)._destroy))
  if (kept.length === 0) throw recordInvalid('This field is required.', 'line_items')
  const problems = kept.flatMap((line, i) =>
    typeof line === 'object' && line !== null
      ? checkParams(line as Record<string, unknown>, `${path}[${i}]`, LINE_SPEC)
      : [{ param: `${path}[${i}]`, problem: 'is invalid' as const }],
  )
  throwIfProblems(problems)
  return (kept as Record<string, unknown>[]).map((l) => {
    const account = business.ledgerAccounts.find((a) => a.id === l.ledger_account_id)
    // Only accounts in the chart and visible in sales take a sales line (Sage: "Couldn't find record.").
    if (!account?.includedInChart || !account.visibleInSales) throw recordNotFound()
    const taxRateId = str(l.tax_rate_id) ?? null
    const rate = taxRateId === null ? null : business.taxRates.find((r) => r.id === taxRateId)
    if (rate === undefined) throw recordNotFound()
    if (rate === null && business.vatRegistered)
      throw recordInvalid('This field is required.', 'line_items.tax_rate_id')
    const needsTax = rate !== null && !rate.zeroKind
    if (needsTax && l.tax_amount === undefined)
      throw recordInvalid('This field is required.', 'line_items.tax_amount')
    const quantity = num(l.quantity) ?? 1
    const unitPrice = num(l.unit_price)!
    const gross = lineAmountMinor(quantity, unitPrice)
    const pct = num(l.discount_percentage)
    const discountMinor =
      l.discount_amount !== undefined
        ? toMinor(num(l.discount_amount)!)
        : pct
          ? Math.round((gross * pct) / 100)
          : 0
    const taxMinor = needsTax ? toMinor(num(l.tax_amount)!) : 0
    const includesTax = bool(l.unit_price_includes_tax)
    const totalMinor = includesTax ? gross - discountMinor : gross - discountMinor + taxMinor
    return {
      id: str(l.id) ?? newId(),
      description: str(l.description)!,
      ledgerAccountId: account.id,
      quantity,
      unitPrice,
      unitPriceIncludesTax: includesTax,
      taxRateId: rate?.id ?? null,
      discountMinor,
      netMinor: totalMinor - taxMinor,
      taxMinor,
      totalMinor,
    }
  })
}

export function sumLines(lines: Line[]) {
  return lines.reduce(
    (t, l) => ({
      netMinor: t.netMinor + l.netMinor,
      taxMinor: t.taxMinor + l.taxMinor,
      totalMinor: t.totalMinor + l.totalMinor,
    }),
    { netMinor: 0, taxMinor: 0, totalMinor: 0 },
  )
}
