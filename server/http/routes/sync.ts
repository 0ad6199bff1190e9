import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import { PushAnswerSchema, StatusAnswerSchema, StatusRequestSchema } from '../../../shared/sync-state.ts'
import { AppError } from '../../errors.ts'
import { syncStates } from '../../sync/sync-state.ts'
import { requireSession } from '../middleware/auth.ts'
import { SECURITY, createRouter, errors, json, jsonBody } from '../openapi.ts'

/** Sync state and sync actions for the widget: members may sync and see; the tenant is the session's. */
const member = { security: SECURITY.session, middleware: [requireSession()], tags: ['Sync'] }
const InvoiceParamsSchema = z.object({
  invoiceId: z
    .string()
    .regex(/^inv_[a-z0-9]{1,40}$/, 'Not an invoice id')
    .meta({ param: { name: 'invoiceId', in: 'path' } }),
})

const CreditNoteParamsSchema = z.object({
  creditNoteId: z
    .string()
    .regex(/^crn_[a-z0-9]{1,40}$/, 'Not a credit note id')
    .meta({ param: { name: 'creditNoteId', in: 'path' } }),
})
const PaymentParamsSchema = z.object({
  paymentId: z
    .string()
    .regex(/^pay_[a-z0-9]{1,40}$/, 'Not a payment id')
    .meta({ param: { name: 'paymentId', in: 'path' } }),
})

export const sync = createRouter()
  .openapi(
    createRoute({
      ...member,
      method: 'post',
      path: '/v1/sync/status',
      summary: 'Sync states of up to 500 invoices in one request (a page of badges)',
      request: jsonBody(StatusRequestSchema),
      responses: {
        200: json(StatusAnswerSchema, 'By invoice id'),
        ...errors('unauthenticated', 'malformed_request', 'unsupported_media_type'),
      },
    }),
    async (c) => {
      const { invoiceIds } = c.req.valid('json')
      const tenantId = c.var.session!.tenant.id
      const states = await syncStates(c.var.services.db, tenantId, 'invoice', invoiceIds)
      return c.json({ states: Object.fromEntries(states) }, 200)
    },
  )
  .openapi(
    createRoute({
      ...member,
      method: 'post',
      path: '/v1/sync/invoices/{invoiceId}',
      summary: 'Post one invoice to the accounting software now (or again, after an edit or a failure)',
      request: { params: InvoiceParamsSchema },
      responses: {
        202: json(PushAnswerSchema, 'Queued; follow it with the status route'),
        ...errors('unauthenticated', 'not_found', 'no_connection', 'sync_disabled', 'invalid_state_change'),
      },
    }),
    async (c) => {
      const tenantId = c.var.session!.tenant.id
      const { invoiceId } = c.req.valid('param')
      const invoice = await c.var.services.db.get<{ status: string }>(
        'SELECT status FROM invoices WHERE id = ? AND tenant_id = ?',
        [invoiceId, tenantId],
      )
      if (!invoice) throw new AppError('not_found')
      if (invoice.status === 'draft')
        throw new AppError('invalid_state_change', {
          message: 'A draft invoice is not posted: send it to the customer first.',
        })
      const job = await c.var.services.sync.pushNow(tenantId, [invoiceId], c.var.session!.user.id)
      if (!job) throw new AppError('no_connection')
      return c.json({ jobId: job.id, state: 'pending' as const }, 202)
    },
  )
  .openapi(
    createRoute({
      ...member,
      method: 'post',
      path: '/v1/sync/payments/{paymentId}',
      summary: 'Record one payment in the accounting software now (or again, after a failure)',
      description: 'Its invoice is posted first when the accounting software does not have it yet.',
      request: { params: PaymentParamsSchema },
      responses: {
        202: json(PushAnswerSchema, 'Queued; follow it with the payment’s sync state'),
        ...errors('unauthenticated', 'not_found', 'no_connection', 'sync_disabled'),
      },
    }),
    async (c) => {
      const tenantId = c.var.session!.tenant.id
      const { paymentId } = c.req.valid('param')
      const payment = await c.var.services.db.get<{ id: string }>(
        'SELECT id FROM payments WHERE id = ? AND tenant_id = ?',
        [paymentId, tenantId],
      )
      if (!payment) throw new AppError('not_found')
      const job = await c.var.services.sync.pushPaymentNow(tenantId, paymentId, c.var.session!.user.id)
      if (!job) throw new AppError('no_connection')
      return c.json({ jobId: job.id, state: 'pending' as const }, 202)
    },
  )
  .openapi(
    createRoute({
      ...member,
      method: 'post',
      path: '/v1/sync/credit-notes/{creditNoteId}',
      summary:
        'Post one credit note to the accounting software now (or again), then set it against its invoice',
      request: { params: CreditNoteParamsSchema },
      responses: {
        202: json(PushAnswerSchema, 'Queued; follow it with the credit note’s sync state'),
        ...errors('unauthenticated', 'not_found', 'no_connection', 'sync_disabled', 'invalid_state_change'),
      },
    }),
    async (c) => {
      const tenantId = c.var.session!.tenant.id
      const { creditNoteId } = c.req.valid('param')
      const note = await c.var.services.db.get<{ status: string }>(
        'SELECT status FROM credit_notes WHERE id = ? AND tenant_id = ?',
        [creditNoteId, tenantId],
      )
      if (!note) throw new AppError('not_found')
      if (note.status === 'draft')
        throw new AppError('invalid_state_change', {
          message: 'A draft credit note is not posted: send it to the customer first.',
        })
      const job = await c.var.services.sync.pushCreditNoteNow(tenantId, creditNoteId, c.var.session!.user.id)
      if (!job) throw new AppError('no_connection')
      return c.json({ jobId: job.id, state: 'pending' as const }, 202)
    },
  )
