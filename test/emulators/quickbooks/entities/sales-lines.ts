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
import { isUsCompany } from '../company/seed-uk.ts'
import { percentCents, productCents } from './decimal.ts'
import { US_LINE_TAX_CODES } from './sales-tax.ts'
import { taxLine, type TaxedLine } from './sales-tax-global.ts'

export interface SalesLines {
  lines: Fields[]
  subtotalCents: number
  taxableCents: number
  discountCents: number
  /** Non-US companies: each taxed line with its own rounded tax. */
  taxed: TaxedLine[]
}

/**
 * Line ids as QBO keeps them on an update: a line sent with the Id of one of the form's lines keeps
 * it (so it is that line, updated); any other line gets a new Id above every Id the form has used.
 */
function lineIds(previous: unknown) {
  const known = new Set(
    (Array.isArray(previous) ? (previous as unknown[]) : []).flatMap((l) =>
      isRecord(l) && typeof l.Id === 'string' ? [l.Id] : [],
    ),
  )
  let next = Math.max(0, ...[...known].map(Number).filter(Number.isFinite))
  const used = new Set<string>()
  return (raw: Fields): string => {
    const id = typeof raw.Id === 'string' ? raw.Id : undefined
    if (id !== undefined && known.has(id) && !used.has(id)) {
      used.add(id)
      return id
    }
    return String(++next)
  }
}

/**
 * Normalises Invoice/CreditMemo lines as QBO does (PROVIDERS 2.7): item lines resolve their Item,
 * take TAX/NON (6100 for anything else on a US company), check Amount = Qty × UnitPrice (6070); a
 * line without ItemRef is kept as documentation with its Amount ignored (Finance.xsd ItemLineDetail);
 * input SubTotal lines are dropped and one SubTotalLineDetail line is appended.
 */
export function normalizeSalesLines(
  ctx: WriteContext,
  input: unknown,
  options: { previous?: unknown; inclusive?: boolean } = {},
): SalesLines {
  if (!Array.isArray(input) || input.length === 0) throw faults.requiredParam('Line')
  const us = isUsCompany(ctx.company)
  const idFor = lineIds(options.previous)
  const taxed: TaxedLine[] = []
  const lines: Fields[] = []
  let subtotalCents = 0
  let taxableCents = 0
  let discount: Fields | null = null
  for (const raw of input as unknown[]) {
    if (!isRecord(raw)) throw faults.requiredParam('Line')
    const type = raw.DetailType
    if (type === undefined) throw faults.requiredParam('Line.DetailType')
    if (type === 'SubTotalLineDetail') continue
    const base = { Id: idFor(raw), LineNum: lines.length + 1, Description: raw.Description }
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
      if (productCents(detail.Qty, detail.UnitPrice) !== amountCents)
        throw faults.amountCalculation(text(raw.Amount))
    }
    // An account other than the item's own, where the line names one (Finance.xsd ItemAccountRef).
    const account = detail.ItemAccountRef
      ? named(resolveRef(ctx, 'Account', detail.ItemAccountRef, 'Line.SalesItemLineDetail.ItemAccountRef'))
      : item.IncomeAccountRef
    let taxCode = refValue(detail.TaxCodeRef)
    if (us) {
      taxCode ??= item.Taxable === true ? 'TAX' : 'NON'
      if (!US_LINE_TAX_CODES.has(taxCode)) throw faults.invalidUsTaxCode(taxCode)
      if (taxCode === 'TAX') taxableCents += amountCents
    } else if (taxCode !== undefined) {
      taxed.push(taxLine(ctx, detail.TaxCodeRef, amountCents, options.inclusive === true))
    }
    subtotalCents += amountCents
    lines.push({
      ...base,
      Amount: fromCents(amountCents),
      DetailType: type,
      SalesItemLineDetail: {
        ...detail,
        ItemRef: named(item),
        ...(isRecord(account) ? { ItemAccountRef: account } : {}),
        ...(taxCode !== undefined ? { TaxCodeRef: { value: taxCode } } : {}),
        ...(options.inclusive ? { TaxInclusiveAmt: fromCents(amountCents) } : {}),
      },
    })
  }
  let discountCents = 0
  if (discount) {
    const d = isRecord(discount.DiscountLineDetail) ? discount.DiscountLineDetail : {}
    if (d.PercentBased === true && d.DiscountPercent === undefined)
      throw faults.requiredParam('DiscountPercent')
    discountCents =
      d.PercentBased === true ? percentCents(subtotalCents, d.DiscountPercent) : toCents(discount.Amount)
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
  return { lines, subtotalCents, taxableCents, discountCents, taxed }
}
