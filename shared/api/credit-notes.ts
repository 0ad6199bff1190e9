import { z } from 'zod'
import { SyncStateSchema } from '../sync-state.ts'
import { CurrencySchema } from '../money.ts'
import { DateSchema, ExternalIdSchema, TimestampSchema, idOf } from './common.ts'
import { CustomerIdSchema } from './customers.ts'
import { InvoiceIdSchema } from './invoices.ts'
import {
  DocumentNumberSchema,
  LineSchema,
  LinesSchema,
  NotesSchema,
  ReferenceSchema,
  TotalsSchema,
} from './documents.ts'

export const CreditNoteIdSchema = idOf('crn')
export const CreditNoteStatusSchema = z.enum(['draft', 'sent', 'void']).meta({ id: 'CreditNoteStatus' })

export const CreateCreditNoteSchema = z
  .object({
    externalId: ExternalIdSchema.optional(),
    number: DocumentNumberSchema('A credit note needs a number'),
    customerId: CustomerIdSchema,
    invoiceId: InvoiceIdSchema.optional().meta({ description: 'The invoice this credit note corrects' }),
    currency: CurrencySchema,
    issueDate: DateSchema,
    reference: ReferenceSchema.optional(),
    notes: NotesSchema.optional(),
    status: z.enum(['draft', 'sent']).default('draft'),
    lines: LinesSchema,
  })
  .strict()
  .meta({ id: 'CreateCreditNote' })
export type CreateCreditNote = z.input<typeof CreateCreditNoteSchema>

export const UpdateCreditNoteSchema = z
  .object({
    number: DocumentNumberSchema().optional(),
    customerId: CustomerIdSchema.optional(),
    invoiceId: InvoiceIdSchema.nullable().optional(),
    currency: CurrencySchema.optional(),
    issueDate: DateSchema.optional(),
    reference: ReferenceSchema.nullable().optional(),
    notes: NotesSchema.nullable().optional(),
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
    sync: SyncStateSchema.meta({
      description:
        'Where the credit note stands in the accounting software: not_synced, pending, synced (posted, and set against its invoice when it has one), outdated (changed since) or error',
    }),
  })
  .meta({ id: 'CreditNote' })
export type CreditNote = z.infer<typeof CreditNoteSchema>
/** A credit note as the records keep it; the answers add its derived `sync` state. */
export type CreditNoteRecord = Omit<CreditNote, 'sync'>
