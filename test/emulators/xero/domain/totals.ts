import type { LineAmountTypes, LineItemRecord, Totals } from '../model.ts'
import { add, productRounded } from './decimal.ts'
import { round } from './wire.ts'

/** A line as the client sent it, after the spec check. */
export interface LineInput {
  LineItemID?: string
  Description?: string
  Quantity?: number
  UnitAmount?: number
  ItemCode?: string
  AccountCode?: string
  TaxType?: string
  DiscountRate?: number
  DiscountAmount?: number
  Tracking?: unknown[]
}

/**
 * Computes one line the way Xero does: UnitAmount kept to 2 places (4 with `unitdp=4`), the line
 * amount after discount rounded to cents, and the tax rounded per line, not on the total
 * (PROVIDERS 1.7, CERTIFICATION XR-D04), in exact decimals (decimal.ts). Rounding is half away
 * from zero.
 */
export function computeLine(
  input: LineInput,
  ratePercent: number,
  amountTypes: LineAmountTypes,
  unitdp: number,
): Omit<LineItemRecord, 'LineItemID'> {
  const unit = round(input.UnitAmount ?? 0, unitdp === 4 ? 4 : 2)
  const quantity = input.Quantity ?? (input.UnitAmount !== undefined ? 1 : 0)
  const gross = productRounded([quantity, unit], 1, 2)
  let net = gross
  if (input.DiscountRate !== undefined)
    net = productRounded([quantity, unit, add(100, -input.DiscountRate)], 100, 2)
  else if (input.DiscountAmount !== undefined) net = round(gross - input.DiscountAmount)
  const tax =
    amountTypes === 'Exclusive'
      ? productRounded([net, ratePercent], 100, 2)
      : amountTypes === 'Inclusive'
        ? productRounded([net, ratePercent], add(100, ratePercent), 2)
        : 0
  return {
    ...(input.Description !== undefined ? { Description: input.Description } : {}),
    Quantity: quantity,
    UnitAmount: unit,
    ...(input.ItemCode !== undefined ? { ItemCode: input.ItemCode } : {}),
    ...(input.AccountCode !== undefined ? { AccountCode: input.AccountCode } : {}),
    ...(input.TaxType !== undefined ? { TaxType: input.TaxType } : {}),
    TaxAmount: tax,
    LineAmount: net,
    ...(input.DiscountRate !== undefined ? { DiscountRate: input.DiscountRate } : {}),
    ...(input.DiscountAmount !== undefined ? { DiscountAmount: input.DiscountAmount } : {}),
    Tracking: input.Tracking ?? [],
  }
}

export function documentTotals(lines: Omit<LineItemRecord, 'LineItemID'>[], types: LineAmountTypes): Totals {
  const sum = (f: (l: Omit<LineItemRecord, 'LineItemID'>) => number) =>
    round(lines.reduce((a, l) => a + f(l), 0))
  const lineTotal = sum((l) => l.LineAmount)
  const TotalTax = sum((l) => l.TaxAmount)
  const TotalDiscount = sum((l) => productRounded([l.Quantity, l.UnitAmount], 1, 2) - l.LineAmount)
  if (types === 'Inclusive')
    return { SubTotal: round(lineTotal - TotalTax), TotalTax, Total: lineTotal, TotalDiscount }
  return { SubTotal: lineTotal, TotalTax, Total: round(lineTotal + TotalTax), TotalDiscount }
}
