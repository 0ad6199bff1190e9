import { z } from 'zod'
import { decimalString } from '../money.ts'
import { DateSchema, ExternalIdSchema, TimestampSchema, idOf } from './common.ts'
import { ReferenceSchema } from './documents.ts'
import { InvoiceIdSchema } from './invoices.ts'
import { SyncStateSchema } from '../sync-state.ts'

export const PaymentIdSchema = idOf('pay')
export const PaymentMethodSchema = z.enum(['bank_transfer', 'card', 'cash', 'cheque', 'other'])

const amount = decimalString(4, 'Amount').refine((v) => /[1-9]/.test(v), 'The amount must be more than 0')

/** A payment against one invoice, in the invoice's currency. */
export const CreatePaymentSchema = z
  .object({
    externalId: ExternalIdSchema.optional(),
    invoiceId: InvoiceIdSchema,
    amount: amount.meta({ description: "Decimal string in the invoice's currency" }),
    date: DateSchema,
    reference: ReferenceSchema.optional(),
    method: PaymentMethodSchema.default('bank_transfer'),
  })
  .strict()
  .meta({ id: 'CreatePayment' })
export type CreatePayment = z.input<typeof CreatePaymentSchema>

export const UpdatePaymentSchema = z
  .object({
    amount: amount.optional(),
    date: DateSchema.optional(),
    reference: ReferenceSchema.nullable().optional(),
    method: PaymentMethodSchema.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .meta({ id: 'UpdatePayment' })
export type UpdatePayment = z.input<typeof UpdatePaymentSchema>

export const PaymentSchema = z
  .object({
    id: PaymentIdSchema,
    externalId: z.string().nullable(),
    invoiceId: InvoiceIdSchema,
    currency: z.string(),
    amount: z.string(),
    date: z.string(),
    reference: z.string().nullable(),
    method: PaymentMethodSchema,
    version: z
      .number()
      .int()
      .meta({ description: 'Bumped by every change; the sync tells "outdated" from it' }),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    removedAt: TimestampSchema.nullable().meta({
      description:
        'When it was removed (by the host, or in the accounting software); a removed payment no longer counts against the invoice',
    }),
    origin: z.enum(['host', 'provider']).meta({
      description:
        'host: recorded through this API; provider: entered in the accounting software and brought back by LedgerLink (it is not sent back)',
    }),
    sync: SyncStateSchema.meta({
      description:
        'Where the payment stands in the accounting software: not_synced, pending, synced (recorded against its invoice there; for a removed payment, removed there too), outdated (changed since) or error (code, message, action, the provider’s own message and call id)',
    }),
  })
  .meta({ id: 'Payment' })
export type Payment = z.infer<typeof PaymentSchema>
/** A payment as the records keep it; the answers add its derived `sync` state. */
export type PaymentRecord = Omit<Payment, 'sync'>
