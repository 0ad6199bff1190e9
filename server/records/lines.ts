import type { Line } from '../../shared/api/documents.ts'
import { minorUnitsOf } from '../../shared/currencies.ts'
import { formatMinor, lineAmounts } from '../../shared/money.ts'
import { invalid } from './common.ts'

/** The most a document may total, in minor units: far above any real invoice, far below 2^53. */
const MAX_TOTAL_MINOR = 10n ** 15n

export interface LineIn {
  description: string
  quantity: string
  unitPrice: string
  discountRate?: string | undefined
  taxCode?: string | undefined
  taxRate?: string | undefined
  category: string
}

/** A stored line: the input plus its amounts in minor units. */
export interface StoredLine extends Omit<LineIn, 'discountRate' | 'taxCode' | 'taxRate'> {
  discountRate: string | null
  taxCode: string | null
  taxRate: string | null
  netMinor: number
  taxMinor: number
}

export interface PricedLines {
  lines: StoredLine[]
  subtotalMinor: number
  taxMinor: number
  totalMinor: number
}

/** Prices each line in integer minor units and sums them; refuses absurd totals. */
export function priceLines(lines: readonly LineIn[], currency: string): PricedLines {
  minorUnitsOf(currency)
  let subtotal = 0n
  let tax = 0n
  const stored = lines.map((line, i) => {
    const a = lineAmounts(line, currency)
    if (a.netMinor + a.taxMinor > MAX_TOTAL_MINOR)
      throw invalid(`lines.${i}`, 'This line’s amount is too large')
    subtotal += a.netMinor
    tax += a.taxMinor
    return {
      description: line.description,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discountRate: line.discountRate ?? null,
      taxCode: line.taxCode ?? null,
      taxRate: line.taxRate ?? null,
      category: line.category,
      netMinor: Number(a.netMinor),
      taxMinor: Number(a.taxMinor),
    }
  })
  if (subtotal + tax > MAX_TOTAL_MINOR) throw invalid('lines', 'The document total is too large')
  return {
    lines: stored,
    subtotalMinor: Number(subtotal),
    taxMinor: Number(tax),
    totalMinor: Number(subtotal + tax),
  }
}

export function toLines(json: string, currency: string): Line[] {
  return (JSON.parse(json) as StoredLine[]).map(({ netMinor, taxMinor, ...line }) => ({
    ...line,
    netAmount: formatMinor(netMinor, currency),
    taxAmount: formatMinor(taxMinor, currency),
  }))
}

/** Stored lines back to inputs, to re-price them in another currency. */
export function toLineInputs(json: string): LineIn[] {
  return (JSON.parse(json) as StoredLine[]).map((l) => ({
    description: l.description,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discountRate: l.discountRate ?? undefined,
    taxCode: l.taxCode ?? undefined,
    taxRate: l.taxRate ?? undefined,
    category: l.category,
  }))
}
