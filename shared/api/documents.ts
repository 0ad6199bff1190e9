import { z } from 'zod'
import { decimalString } from '../money.ts'
import { textOf } from './common.ts'

/**
 * Lines shared by invoices and credit notes. Quantities and prices are decimal strings, never
 * floats; amounts computed from them are in the document's currency.
 */
const percent = (what: string) =>
  decimalString(4, what).refine((v) => Number(v) <= 100, `${what} must be between 0 and 100`)

export const LineInputSchema = z
  .object({
    description: z.string().trim().min(1, 'A line needs a description').max(4000),
    quantity: decimalString(4, 'Quantity').refine((v) => /[1-9]/.test(v), 'Quantity must be more than 0'),
    unitPrice: decimalString(4, 'Unit price'),
    discountRate: percent('Discount').optional().meta({ description: 'Percent off the line, 0–100' }),
    taxCode: textOf(50)
      .optional()
      .meta({ description: "The host's tax code, mapped to the provider's tax rate" }),
    taxRate: percent('Tax rate').optional().meta({ description: 'Tax percent applied to the line, 0–100' }),
    category: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .default('Other')
      .meta({ description: 'Labour, Materials, Equipment, Other or your own; mapped to a revenue account' }),
  })
  .strict()
  .meta({ id: 'LineInput' })
export type LineInput = z.input<typeof LineInputSchema>

export const LinesSchema = z.array(LineInputSchema).min(1, 'Add at least one line').max(500)

export const LineSchema = z
  .object({
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
