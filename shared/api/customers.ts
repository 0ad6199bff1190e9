import { z } from 'zod'
import { CurrencySchema } from '../money.ts'
import { SyncStateSchema } from '../sync-state.ts'
import { ExternalIdSchema, TimestampSchema, idOf, textOf } from './common.ts'

export const CustomerIdSchema = idOf('cus')

export const AddressSchema = z
  .object({
    line1: textOf(255).optional(),
    line2: textOf(255).optional(),
    city: textOf(255).optional(),
    region: textOf(255).optional(),
    postalCode: textOf(32).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'Must be an ISO 3166-1 alpha-2 country code such as GB')
      .optional(),
  })
  .strict()
  .meta({ id: 'Address' })

const customerFields = {
  externalId: ExternalIdSchema.optional(),
  name: textOf(255, { min: 1, required: 'A customer needs a name' }),
  email: z.email().max(320).optional(),
  phone: textOf(50).optional(),
  taxNumber: textOf(50).optional().meta({ description: 'VAT, GST or sales-tax registration number' }),
  currency: CurrencySchema.optional().meta({ description: 'Default invoice currency' }),
  address: AddressSchema.optional(),
}

/** @example { name: 'Harbour Lights Café', email: 'accounts@harbourlights.example' } */
export const CreateCustomerSchema = z.object(customerFields).strict().meta({ id: 'CreateCustomer' })
export type CreateCustomer = z.infer<typeof CreateCustomerSchema>

/** Every field optional; `null` clears an optional one. */
export const UpdateCustomerSchema = z
  .object({
    name: customerFields.name.optional(),
    email: customerFields.email.nullable(),
    phone: customerFields.phone.nullable(),
    taxNumber: customerFields.taxNumber.nullable(),
    currency: customerFields.currency.nullable(),
    address: customerFields.address.nullable(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .meta({ id: 'UpdateCustomer' })
export type UpdateCustomer = z.infer<typeof UpdateCustomerSchema>

export const CustomerSchema = z
  .object({
    id: CustomerIdSchema,
    externalId: z.string().nullable(),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    taxNumber: z.string().nullable(),
    currency: z.string().nullable(),
    address: AddressSchema.nullable(),
    version: z
      .number()
      .int()
      .meta({ description: 'Bumped by every change; the sync tells "outdated" from it' }),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    sync: SyncStateSchema.meta({
      description:
        'Where the customer stands as a contact in the accounting software: not_synced, pending, synced (with its id there, when and a link), outdated (edited since) or error',
    }),
  })
  .meta({ id: 'Customer' })
export type Customer = z.infer<typeof CustomerSchema>
/** A customer as the records keep it; the answers add its derived `sync` state. */
export type CustomerRecord = Omit<Customer, 'sync'>
