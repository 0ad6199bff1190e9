import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import {
  CreateInvoiceSchema,
  InvoiceIdSchema,
  InvoiceListQuerySchema,
  InvoiceSchema,
  MarkPaidSchema,
  UpdateInvoiceSchema,
} from '../../../shared/api/invoices.ts'
import { PaymentSchema } from '../../../shared/api/payments.ts'
import type { Db } from '../../db/client.ts'
import { withSyncStates } from '../../sync/sync-state.ts'
import { createRouter, errors, json, jsonBody } from '../openapi.ts'
import { addResourceRoutes, hostRoute, idParams } from './resource.ts'

const params = idParams(InvoiceIdSchema)
const events = { tags: ['Invoices'], ...hostRoute }
/** Every invoice answer carries its sync state. */
const withSync = <T extends { id: string; version: number }>(db: Db, tenantId: string, invoices: T[]) =>
  withSyncStates(db, tenantId, 'invoice', invoices)
const withSyncOne = async <T extends { id: string; version: number }>(db: Db, tenantId: string, invoice: T) =>
  (await withSync(db, tenantId, [invoice]))[0]!

export const invoices = addResourceRoutes(
  createRouter(),
  {
    plural: 'invoices',
    singular: 'invoice',
    tag: 'Invoices',
    idSchema: InvoiceIdSchema,
    create: CreateInvoiceSchema,
    update: UpdateInvoiceSchema,
    item: InvoiceSchema,
    listFilters: InvoiceListQuerySchema,
  },
  (c) => c.var.services.invoices,
  (c, tenantId, invoices) => withSync(c.var.services.db, tenantId, invoices),
)
  .openapi(
    createRoute({
      ...events,
      method: 'post',
      path: '/v1/tenants/{tenantId}/invoices/{id}/send',
      summary: 'Event: the invoice was sent to the customer',
      description:
        'Moves a draft to `sent` (the moment auto-sync posts it). Sending a sent invoice again changes nothing.',
      request: { params },
      responses: {
        200: json(InvoiceSchema, 'The sent invoice'),
        ...errors('unauthenticated', 'not_found', 'invalid_state_change', 'idempotency_key_reused'),
      },
    }),
    async (c) => {
      const { tenantId, id } = c.req.valid('param')
      const invoice = await c.var.services.invoices.markSent(tenantId, id)
      return c.json(await withSyncOne(c.var.services.db, tenantId, invoice), 200)
    },
  )
  .openapi(
    createRoute({
      ...events,
      method: 'post',
      path: '/v1/tenants/{tenantId}/invoices/{id}/mark-paid',
      summary: 'Event: the invoice was paid in full',
      description: 'Records a payment of the whole amount due; the invoice becomes `paid`.',
      request: { params, ...jsonBody(MarkPaidSchema) },
      responses: {
        200: json(
          z.object({ invoice: InvoiceSchema, payment: PaymentSchema }),
          'The paid invoice and its payment',
        ),
        ...errors(
          'unauthenticated',
          'not_found',
          'invalid_state_change',
          'malformed_request',
          'idempotency_key_reused',
        ),
      },
    }),
    async (c) => {
      const { tenantId, id } = c.req.valid('param')
      const paid = await c.var.services.payments.markInvoicePaid(tenantId, id, c.req.valid('json'))
      const db = c.var.services.db
      const [payment] = await withSyncStates(db, tenantId, 'payment', [paid.payment])
      return c.json({ invoice: await withSyncOne(db, tenantId, paid.invoice), payment: payment! }, 200)
    },
  )
