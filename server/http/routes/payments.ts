import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import { InvoiceIdSchema } from '../../../shared/api/invoices.ts'
import {
  CreatePaymentSchema,
  PaymentIdSchema,
  PaymentSchema,
  UpdatePaymentSchema,
} from '../../../shared/api/payments.ts'
import { withSyncStates } from '../../sync/sync-state.ts'
import { createRouter, errors, json } from '../openapi.ts'
import { addResourceRoutes, hostRoute, idParams } from './resource.ts'

/** Payments by API key: the four resource routes, and DELETE for a payment the host removed. */
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
  // A payment's state is that of its copy at the provider: the push creates links of kind 'payment'.
  (c, tenantId, payments) => withSyncStates(c.var.services.db, tenantId, 'payment', payments),
).openapi(
  createRoute({
    tags: ['Payments'],
    ...hostRoute,
    method: 'delete',
    path: '/v1/tenants/{tenantId}/payments/{id}',
    summary: 'Remove a payment (it bounced, or was recorded by mistake)',
    description:
      'The invoice’s amount due comes back and the payment is removed at the accounting software where it allows (its `sync` says when it is, or why it cannot be). Removing it again answers it as it is.',
    request: { params: idParams(PaymentIdSchema) },
    responses: {
      200: json(PaymentSchema, 'The removed payment'),
      ...errors('unauthenticated', 'not_found'),
    },
  }),
  async (c) => {
    const { tenantId, id } = c.req.valid('param')
    const removed = await c.var.services.payments.remove(tenantId, id)
    const [payment] = await withSyncStates(c.var.services.db, tenantId, 'payment', [removed])
    return c.json(payment!, 200)
  },
)
