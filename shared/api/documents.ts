import { z } from 'zod'
import { decimalString } from '../money.ts'
import { textOf, textRules } from './common.ts'

/**
 * The bounds of a document (invoice or credit note). QuickBooks' schema caps a line description at
 * 4,000 characters (and an invoice message at 1,000, which the sync must respect when it maps
 * notes); no provider states a line count, and 500 lines keep one document well under Xero's
 * 3.5 MB request cap. The request body limit (1 MiB) bounds a whole document on top of these.
 *
 * @example DOCUMENT_LIMITS.lines // 500
 */
export const DOCUMENT_LIMITS = {
  lines: 500,
  number: 64,
  description: 4000,
  notes: 4000,
  reference: 255,
  taxCode: 50,
  category: 100,
} as const

/** A document number: unique per tenant, matched by exact value, so nothing invisible in it. */
export const DocumentNumberSchema = (required?: string) =>
  textOf(DOCUMENT_LIMITS.number, { kind: 'key', min: 1, ...(required ? { required } : {}) })
export const ReferenceSchema = textOf(DOCUMENT_LIMITS.reference)
export const NotesSchema = textOf(DOCUMENT_LIMITS.notes, { kind: 'multiline' })

/**
 * Lines shared by invoices and credit notes. Quantities and prices are decimal strings, never
 * floats; amounts computed from them are in the document's currency.
 */
const percent = (what: string) =>
  decimalString(4, what).refine((v) => Number(v) <= 100, `${what} must be between 0 and 100`)

export const LineInputSchema = z
  .object({
    id: z
      .string()
      .regex(/^lin_[a-z0-9]{1,40}$/, 'Not a line id: use the id LedgerLink answered for this line')
      .optional()
      .meta({
        description:
          'When updating: the id of the line this one replaces, so the accounting software updates that line instead of deleting and re-adding it. Lines sent without an id keep the id of the line at the same position that no other line claimed; the rest are new.',
      }),
    description: textOf(DOCUMENT_LIMITS.description, {
      kind: 'multiline',
      min: 1,
      required: 'A line needs a description',
    }),
    quantity: decimalString(4, 'Quantity').refine((v) => /[1-9]/.test(v), 'Quantity must be more than 0'),
    unitPrice: decimalString(4, 'Unit price'),
    discountRate: percent('Discount').optional().meta({ description: 'Percent off the line, 0–100' }),
    taxCode: textOf(DOCUMENT_LIMITS.taxCode, { kind: 'key' })
      .optional()
      .meta({
        description: `The host's tax code, mapped to the provider's tax rate; ${textRules(DOCUMENT_LIMITS.taxCode, 'key')}`,
      }),
    taxRate: percent('Tax rate').optional().meta({ description: 'Tax percent applied to the line, 0–100' }),
    category: textOf(DOCUMENT_LIMITS.category, { min: 1 })
      .default('Other')
      .meta({
        description: `Labour, Materials, Equipment, Other or your own; mapped to a revenue account; ${textRules(DOCUMENT_LIMITS.category)}`,
      }),
  })
  .strict()
  .meta({ id: 'LineInput' })
export type LineInput = z.input<typeof LineInputSchema>

export const LinesSchema = z
  .array(LineInputSchema)
  .min(1, 'Add at least one line')
  .max(DOCUMENT_LIMITS.lines, `At most ${DOCUMENT_LIMITS.lines} lines per document`)
  .meta({ description: `1–${DOCUMENT_LIMITS.lines} lines` })

export const LineSchema = z
  .object({
    id: z.string().meta({ description: 'Stable across edits of the document', example: 'lin_2al5f…' }),
    description: z.string(),
    quantity: z.string(),
    unitPrice: z.string(),
    discountRate: z.string().nullable(),
    taxCode: z.string().nullable(),
    taxRate: z.string().nullable(),
    category: z.string(),
    netAmount: z.string(),
    taxAmount: z.string(),
  })
  .meta({ id: 'Line' })
export type Line = z.infer<typeof LineSchema>

export const TotalsSchema = {
  subtotal: z.string().meta({ description: 'Sum of line net amounts' }),
  taxTotal: z.string().meta({ description: 'Sum of line tax, rounded per line' }),
  total: z.string(),
}
