import { z } from 'zod'
import { InvoiceIdSchema } from '../../../shared/api/invoices.ts'
import {
  CreatePaymentSchema,
  PaymentIdSchema,
  PaymentSchema,
  UpdatePaymentSchema,
} from '../../../shared/api/payments.ts'
import { createRouter } from '../openapi.ts'
import { addResourceRoutes } from './resource.ts'

export const payments = addResourceRoutes(
  createRouter(),
  {
    plural: 'payments',
    singular: 'payment',
    tag: 'Payments',
    idSchema: PaymentIdSchema,
    create: CreatePaymentSchema,
    update: UpdatePaymentSchema,
    item: PaymentSchema,
    listFilters: z.object({ invoiceId: InvoiceIdSchema.optional() }),
  },
  (c) => c.var.services.payments,
)
