import { z } from 'zod'
import { CurrencySchema } from '../money.ts'
import { DateSchema, ExternalIdSchema, TimestampSchema, idOf, textOf } from './common.ts'
import { CustomerIdSchema } from './customers.ts'
import { InvoiceIdSchema } from './invoices.ts'
import { LineSchema, LinesSchema, TotalsSchema } from './documents.ts'

export const CreditNoteIdSchema = idOf('crn')
export const CreditNoteStatusSchema = z.enum(['draft', 'sent', 'void']).meta({ id: 'CreditNoteStatus' })

export const CreateCreditNoteSchema = z
  .object({
    externalId: ExternalIdSchema.optional(),
    number: z.string().trim().min(1, 'A credit note needs a number').max(64),
    customerId: CustomerIdSchema,
    invoiceId: InvoiceIdSchema.optional().meta({ description: 'The invoice this credit note corrects' }),
    currency: CurrencySchema,
    issueDate: DateSchema,
    reference: textOf(255).optional(),
    notes: textOf(4000).optional(),
    status: z.enum(['draft', 'sent']).default('draft'),
    lines: LinesSchema,
  })
  .strict()
  .meta({ id: 'CreateCreditNote' })
export type CreateCreditNote = z.input<typeof CreateCreditNoteSchema>

export const UpdateCreditNoteSchema = z
  .object({
    number: z.string().trim().min(1).max(64).optional(),
    customerId: CustomerIdSchema.optional(),
    invoiceId: InvoiceIdSchema.nullable().optional(),
    currency: CurrencySchema.optional(),
    issueDate: DateSchema.optional(),
    reference: textOf(255).nullable().optional(),
    notes: textOf(4000).nullable().optional(),
    status: CreditNoteStatusSchema.optional(),
    lines: LinesSchema.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .meta({ id: 'UpdateCreditNote' })
export type UpdateCreditNote = z.input<typeof UpdateCreditNoteSchema>

export const CreditNoteSchema = z
  .object({
    id: CreditNoteIdSchema,
    externalId: z.string().nullable(),
    number: z.string(),
    customerId: CustomerIdSchema,
    invoiceId: InvoiceIdSchema.nullable(),
    currency: z.string(),
    issueDate: z.string(),
    reference: z.string().nullable(),
    notes: z.string().nullable(),
    status: CreditNoteStatusSchema,
    lines: z.array(LineSchema),
    ...TotalsSchema,
    version: z.number().int(),
    sentAt: TimestampSchema.nullable(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'CreditNote' })
export type CreditNote = z.infer<typeof CreditNoteSchema>
