import { faults } from '../errors.ts'
import {
  fromCents,
  isRecord,
  named,
  refValue,
  resolveRef,
  text,
  toCents,
  type Fields,
  type WriteContext,
} from './context.ts'
import { US_LINE_TAX_CODES } from './sales-tax.ts'

export interface SalesLines {
  lines: Fields[]
  subtotalCents: number
  taxableCents: number
  discountCents: number
}

/**
 * Normalises Invoice/CreditMemo lines as QBO does (PROVIDERS 2.7): item lines resolve their Item,
 * take TAX/NON (6100 for anything else on a US company), check Amount = Qty × UnitPrice (6070); a
 * line without ItemRef is kept as documentation with its Amount ignored (Finance.xsd ItemLineDetail);
 * input SubTotal lines are dropped and one SubTotalLineDetail line is appended.
 */
export function normalizeSalesLines(ctx: WriteContext, input: unknown): SalesLines {
  if (!Array.isArray(input) || input.length === 0) throw faults.requiredParam('Line')
  const lines: Fields[] = []
  let subtotalCents = 0
  let taxableCents = 0
  let discount: Fields | null = null
  for (const raw of input as unknown[]) {
    if (!isRecord(raw)) throw faults.requiredParam('Line')
    const type = raw.DetailType
    if (type === undefined) throw faults.requiredParam('Line.DetailType')
    if (type === 'SubTotalLineDetail') continue
    const base = { Id: String(lines.length + 1), LineNum: lines.length + 1, Description: raw.Description }
    if (type === 'DescriptionOnly') {
      lines.push({ ...base, DetailType: type, DescriptionLineDetail: raw.DescriptionLineDetail ?? {} })
      continue
    }
    if (type === 'DiscountLineDetail') {
      if ((ctx.company.preferences().SalesFormsPrefs as Fields).AllowDiscount !== true)
        throw faults.business('Discounts are not turned on for this company.')
      discount = raw
      continue
    }
    if (type !== 'SalesItemLineDetail') throw faults.business(`Line type ${text(type)} is not valid here.`)
    const detail = isRecord(raw.SalesItemLineDetail) ? raw.SalesItemLineDetail : {}
    if (refValue(detail.ItemRef) === undefined) {
      lines.push({ ...base, Amount: 0, DetailType: type, SalesItemLineDetail: detail })
      continue
    }
    if (raw.Amount === undefined) throw faults.requiredParam('Line.Amount')
    const item = resolveRef(ctx, 'Item', detail.ItemRef, 'Line.SalesItemLineDetail.ItemRef')
    const amountCents = toCents(raw.Amount)
    if (detail.Qty !== undefined && detail.UnitPrice !== undefined) {
      const expected = Math.round(Number(detail.Qty) * Number(detail.UnitPrice) * 100)
      if (expected !== amountCents) throw faults.amountCalculation(text(raw.Amount))
    }
    const taxCode = refValue(detail.TaxCodeRef) ?? (item.Taxable === true ? 'TAX' : 'NON')
    if (!US_LINE_TAX_CODES.has(taxCode)) throw faults.invalidUsTaxCode(taxCode)
    subtotalCents += amountCents
    if (taxCode === 'TAX') taxableCents += amountCents
    lines.push({
      ...base,
      Amount: fromCents(amountCents),
      DetailType: type,
      SalesItemLineDetail: {
        ...detail,
        ItemRef: named(item),
        ...(isRecord(item.IncomeAccountRef) ? { ItemAccountRef: item.IncomeAccountRef } : {}),
        TaxCodeRef: { value: taxCode },
      },
    })
  }
  let discountCents = 0
  if (discount) {
    const d = isRecord(discount.DiscountLineDetail) ? discount.DiscountLineDetail : {}
    if (d.PercentBased === true && d.DiscountPercent === undefined)
      throw faults.requiredParam('DiscountPercent')
    discountCents =
      d.PercentBased === true
        ? Math.round((subtotalCents * Number(d.DiscountPercent)) / 100)
        : toCents(discount.Amount)
    const account = d.DiscountAccountRef
      ? resolveRef(ctx, 'Account', d.DiscountAccountRef, 'DiscountAccountRef')
      : ctx.company.get('Account', '86')!
    lines.push({
      Amount: fromCents(discountCents),
      DetailType: 'DiscountLineDetail',
      DiscountLineDetail: { ...d, DiscountAccountRef: named(account) },
    })
  }
  lines.push({ Amount: fromCents(subtotalCents), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} })
  return { lines, subtotalCents, taxableCents, discountCents }
}
