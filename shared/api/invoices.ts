import { z } from 'zod'
import { CurrencySchema } from '../money.ts'
import { SyncStateSchema } from '../sync-state.ts'
import { DateSchema, ExternalIdSchema, TimestampSchema, idOf } from './common.ts'
import { CustomerIdSchema } from './customers.ts'
import {
  DocumentNumberSchema,
  LineSchema,
  LinesSchema,
  NotesSchema,
  ReferenceSchema,
  TotalsSchema,
} from './documents.ts'

export const InvoiceIdSchema = idOf('inv')
export const InvoiceStatusSchema = z.enum(['draft', 'sent', 'paid', 'void']).meta({ id: 'InvoiceStatus' })
export type InvoiceStatus = z.infer<typeof InvoiceStatusSchema>

const dueNotBeforeIssue = (v: { issueDate?: string | undefined; dueDate?: string | undefined }) =>
  !v.issueDate || !v.dueDate || v.dueDate >= v.issueDate

/** @example { number: 'INV-1001', customerId: 'cus_…', currency: 'GBP', issueDate: '2026-11-01', dueDate: '2026-11-30', lines: [...] } */
export const CreateInvoiceSchema = z
  .object({
    externalId: ExternalIdSchema.optional(),
    number: DocumentNumberSchema('An invoice needs a number'),
    customerId: CustomerIdSchema,
    currency: CurrencySchema,
    issueDate: DateSchema,
    dueDate: DateSchema,
    reference: ReferenceSchema.optional(),
    notes: NotesSchema.optional(),
    status: z.enum(['draft', 'sent']).default('draft').meta({ description: 'Create as draft, or as sent' }),
    lines: LinesSchema,
  })
  .strict()
  .refine(dueNotBeforeIssue, { path: ['dueDate'], message: 'The due date cannot be before the issue date' })
  .meta({ id: 'CreateInvoice' })
export type CreateInvoice = z.input<typeof CreateInvoiceSchema>

export const UpdateInvoiceSchema = z
  .object({
    number: DocumentNumberSchema().optional(),
    customerId: CustomerIdSchema.optional(),
    currency: CurrencySchema.optional(),
    issueDate: DateSchema.optional(),
    dueDate: DateSchema.optional(),
    reference: ReferenceSchema.nullable().optional(),
    notes: NotesSchema.nullable().optional(),
    status: z
      .enum(['draft', 'sent', 'void'])
      .optional()
      .meta({ description: '`paid` follows from payments; `void` is final' }),
    lines: LinesSchema.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .refine(dueNotBeforeIssue, { path: ['dueDate'], message: 'The due date cannot be before the issue date' })
  .meta({ id: 'UpdateInvoice' })
export type UpdateInvoice = z.input<typeof UpdateInvoiceSchema>

export const MarkPaidSchema = z
  .object({
    date: DateSchema.optional().meta({ description: 'Defaults to today' }),
    reference: ReferenceSchema.optional(),
    method: z.enum(['bank_transfer', 'card', 'cash', 'cheque', 'other']).default('bank_transfer'),
  })
  .strict()
  .meta({ id: 'MarkInvoicePaid' })

export const InvoiceSchema = z
  .object({
    id: InvoiceIdSchema,
    externalId: z.string().nullable(),
    number: z.string(),
    customerId: CustomerIdSchema,
    currency: z.string(),
    issueDate: z.string(),
    dueDate: z.string(),
    reference: z.string().nullable(),
    notes: z.string().nullable(),
    status: InvoiceStatusSchema,
    lines: z.array(LineSchema),
    ...TotalsSchema,
    amountPaid: z.string().meta({ description: 'Sum of the payments against the invoice' }),
    amountCredited: z.string().meta({
      description: 'Sum of the credit notes linked to the invoice, draft or sent (void ones credit nothing)',
    }),
    amountDue: z.string().meta({
      description: '`total − amountPaid − amountCredited`; payments and credits never take it below 0',
    }),
    version: z
      .number()
      .int()
      .meta({ description: 'Bumped by every change; the sync tells "outdated" from it' }),
    sentAt: TimestampSchema.nullable(),
    paidAt: TimestampSchema.nullable(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    sync: SyncStateSchema.meta({
      description:
        'Where the invoice stands with the accounting software: not_synced, pending, synced (with its id there, when and a link), outdated (edited since) or error (code, message, action, the provider’s own message and call id)',
    }),
  })
  .meta({ id: 'Invoice' })
export type Invoice = z.infer<typeof InvoiceSchema>
/** An invoice as the records keep it; the answers add its derived `sync` state. */
export type InvoiceRecord = Omit<Invoice, 'sync'>

export const InvoiceListQuerySchema = z.object({
  status: InvoiceStatusSchema.optional(),
  customerId: CustomerIdSchema.optional(),
})
