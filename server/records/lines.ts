import type { Line } from '../../shared/api/documents.ts'
import { minorUnitsOf } from '../../shared/currencies.ts'
import { formatMinor, lineAmounts } from '../../shared/money.ts'
import { newId } from '../ids.ts'
import { invalid } from './common.ts'

/** The most a document may total, in minor units: far above any real invoice, far below 2^53. */
const MAX_TOTAL_MINOR = 10n ** 15n

export interface LineIn {
  id?: string | undefined
  description: string
  quantity: string
  unitPrice: string
  discountRate?: string | undefined
  taxCode?: string | undefined
  taxRate?: string | undefined
  category: string
}

/** A stored line: the input plus its amounts in minor units. */
export interface StoredLine extends Omit<LineIn, 'id' | 'discountRate' | 'taxCode' | 'taxRate'> {
  /** Stable across edits: the provider's own line is kept by it (Xero LineItemID, QuickBooks Line.Id). */
  id: string
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

/**
 * Gives each line its id: the one it names (which must be one of the document's), else the id of
 * the old line at its position that no line named, else a new one. Hosts that never learn our line
 * ids and resend the whole list thus keep their lines' ids wherever a line stays in its place.
 */
export function assignLineIds(lines: readonly LineIn[], previous: readonly string[]): string[] {
  const known = new Set(previous)
  const named = new Set<string>()
  lines.forEach((line, i) => {
    if (line.id === undefined) return
    if (!known.has(line.id)) throw invalid(`lines.${i}.id`, 'Not a line of this document')
    if (named.has(line.id)) throw invalid(`lines.${i}.id`, 'Two lines name the same id')
    named.add(line.id)
  })
  return lines.map((line, i) => {
    if (line.id !== undefined) return line.id
    const inPlace = previous[i]
    if (inPlace !== undefined && !named.has(inPlace)) {
      named.add(inPlace)
      return inPlace
    }
    return newId('lin')
  })
}

/** Prices each line in integer minor units and sums them; refuses absurd totals. */
export function priceLines(
  lines: readonly LineIn[],
  currency: string,
  previousIds: readonly string[] = [],
): PricedLines {
  const ids = assignLineIds(lines, previousIds)
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
      id: ids[i]!,
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

/** The columns both documents store their priced lines in. */
export interface DocumentAmounts {
  lines: string
  subtotal_minor: number
  tax_minor: number
  total_minor: number
}

export function documentAmounts(
  lines: readonly LineIn[],
  currency: string,
  previousIds: readonly string[] = [],
): DocumentAmounts {
  const priced = priceLines(lines, currency, previousIds)
  return {
    lines: JSON.stringify(priced.lines),
    subtotal_minor: priced.subtotalMinor,
    tax_minor: priced.taxMinor,
    total_minor: priced.totalMinor,
  }
}

/** A document's amounts after a patch: re-priced when its lines or its currency change. */
export function repriced<Row extends DocumentAmounts & { currency: string }>(
  row: Row,
  lines: readonly LineIn[] | undefined,
  currency: string,
): DocumentAmounts {
  if (!lines && currency === row.currency)
    return {
      lines: row.lines,
      subtotal_minor: row.subtotal_minor,
      tax_minor: row.tax_minor,
      total_minor: row.total_minor,
    }
  return documentAmounts(
    lines ?? toLineInputs(row.lines),
    currency,
    storedLines(row.lines).map((l) => l.id),
  )
}

/** Stored lines; lines stored before lines had ids get one from their position. */
export function storedLines(json: string): StoredLine[] {
  return (JSON.parse(json) as (Omit<StoredLine, 'id'> & { id?: string })[]).map((l, i) => ({
    ...l,
    id: l.id ?? `lin_${i}`,
  }))
}

/** What a stored document weighs, for a page's byte budget: its lines and notes, and the rest. */
export const DOCUMENT_BYTES = 'octet_length(lines) + ifnull(octet_length(notes), 0) + 512'

export function toLines(json: string, currency: string): Line[] {
  return storedLines(json).map(({ netMinor, taxMinor, ...line }) => ({
    ...line,
    netAmount: formatMinor(netMinor, currency),
    taxAmount: formatMinor(taxMinor, currency),
  }))
}

/** Stored lines back to inputs, to re-price them in another currency. */
export function toLineInputs(json: string): LineIn[] {
  return storedLines(json).map((l) => ({
    id: l.id,
    description: l.description,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discountRate: l.discountRate ?? undefined,
    taxCode: l.taxCode ?? undefined,
    taxRate: l.taxRate ?? undefined,
    category: l.category,
  }))
}
