import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import { PushAnswerSchema, StatusAnswerSchema, StatusRequestSchema } from '../../../shared/sync-state.ts'
import { AppError } from '../../errors.ts'
import { readSyncStates } from '../../sync/sync-state.ts'
import { requireSession } from '../middleware/auth.ts'
import { SECURITY, createRouter, errors, json, jsonBody } from '../openapi.ts'

/** Sync state and sync actions for the widget: members may sync and see; the tenant is the session's. */
const member = { security: SECURITY.session, middleware: [requireSession()], tags: ['Sync'] }

export const sync = createRouter().openapi(
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
    const { connection, states } = await readSyncStates(c.var.services.db, tenantId, 'invoice', invoiceIds)
    return c.json({ connection, states: Object.fromEntries(states) }, 200)
  },
)

/**
 * "Post now" for one record of a kind, as the badge's action and retry call it: the record must be
 * this tenant's and (for documents) sent; answered with the job to follow.
 */
const PUSH_ROUTES = [
  {
    kind: 'invoice',
    path: '/v1/sync/invoices/{invoiceId}',
    param: 'invoiceId',
    prefix: 'inv',
    table: 'invoices',
    noun: 'invoice',
    summary: 'Post one invoice to the accounting software now (or again, after an edit or a failure)',
    description: undefined,
  },
  {
    kind: 'payment',
    path: '/v1/sync/payments/{paymentId}',
    param: 'paymentId',
    prefix: 'pay',
    table: 'payments',
    noun: 'payment',
    summary: 'Record one payment in the accounting software now (or again, after a failure)',
    description: 'Its invoice is posted first when the accounting software does not have it yet.',
  },
  {
    kind: 'credit_note',
    path: '/v1/sync/credit-notes/{creditNoteId}',
    param: 'creditNoteId',
    prefix: 'crn',
    table: 'credit_notes',
    noun: 'credit note',
    summary:
      'Post one credit note to the accounting software now (or again), then set it against its invoice',
    description: undefined,
  },
] as const

for (const r of PUSH_ROUTES) {
  const params = z.object({
    [r.param]: z
      .string()
      .regex(new RegExp(`^${r.prefix}_[a-z0-9]{1,40}$`), `Not a ${r.noun} id`)
      .meta({ param: { name: r.param, in: 'path' } }),
  })
  sync.openapi(
    createRoute({
      ...member,
      method: 'post',
      path: r.path,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      request: { params },
      responses: {
        202: json(PushAnswerSchema, `Queued; follow it with the ${r.noun}’s sync state`),
        ...errors('unauthenticated', 'not_found', 'no_connection', 'sync_disabled', 'invalid_state_change'),
      },
    }),
    async (c) => {
      const tenantId = c.var.session!.tenant.id
      const id = (c.req.valid('param') as Record<string, string>)[r.param]!
      // A document is posted once sent; a payment has no draft of its own.
      const row = await c.var.services.db.get<{ status?: string }>(
        `SELECT ${r.kind === 'payment' ? 'id' : 'id, status'} FROM ${r.table} WHERE id = ? AND tenant_id = ?`,
        [id, tenantId],
      )
      if (!row) throw new AppError('not_found')
      if (row.status === 'draft')
        throw new AppError('invalid_state_change', {
          message: `A draft ${r.noun} is not posted: send it to the customer first.`,
        })
      const job = await c.var.services.sync.pushNow(tenantId, r.kind, [id], c.var.session!.user.id)
      if (!job) throw new AppError('no_connection')
      return c.json({ jobId: job.id, state: 'pending' as const }, 202)
    },
  )
}
