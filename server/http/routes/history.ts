import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import {
  HISTORY_KINDS,
  HistoryPageSchema,
  HistoryQuerySchema,
  HistoryRunDetailSchema,
  RetryAnswerSchema,
} from '../../../shared/history.ts'
import { requireSession } from '../middleware/auth.ts'
import { SECURITY, createRouter, errors, json } from '../openapi.ts'

/**
 * The sync history for the widget: every run, newest first, filtered by status, record kind, day
 * and text; one run with the records that failed in it; a retry of every failure of a run, or of
 * one. Members may read and retry; the tenant is the session's, and another tenant's run is 404.
 */
const member = { security: SECURITY.session, middleware: [requireSession()], tags: ['Sync history'] }
const RunParamsSchema = z.object({
  historyId: z
    .string()
    .regex(/^(hst|run)_[a-z0-9]{1,40}$/, 'Not a sync history id')
    .meta({ param: { name: 'historyId', in: 'path' } }),
})
const ItemParamsSchema = RunParamsSchema.extend({
  recordKind: z.enum(HISTORY_KINDS).meta({ param: { name: 'recordKind', in: 'path' } }),
  recordId: z
    .string()
    .regex(/^[a-z]{3}_[a-z0-9]{1,40}$/, 'Not a record id')
    .meta({ param: { name: 'recordId', in: 'path' } }),
})
const RETRY_ERRORS = [
  'unauthenticated',
  'not_found',
  'no_connection',
  'sync_disabled',
  'invalid_state_change',
] as const

export const history = createRouter()
  .openapi(
    createRoute({
      ...member,
      method: 'get',
      path: '/v1/sync/history',
      summary: 'Sync runs, newest first: who or what started each, its counts and how long it took',
      request: { query: HistoryQuerySchema },
      responses: {
        200: json(HistoryPageSchema, 'A page'),
        ...errors('unauthenticated', 'malformed_request'),
      },
    }),
    async (c) =>
      c.json(await c.var.services.sync.history.list(c.var.session!.tenant.id, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      ...member,
      method: 'get',
      path: '/v1/sync/history/{historyId}',
      summary: 'One run, with every record that failed in it and where each stands now',
      request: { params: RunParamsSchema },
      responses: { 200: json(HistoryRunDetailSchema, 'The run'), ...errors('unauthenticated', 'not_found') },
    }),
    async (c) =>
      c.json(
        await c.var.services.sync.history.get(c.var.session!.tenant.id, c.req.valid('param').historyId),
        200,
      ),
  )
  .openapi(
    createRoute({
      ...member,
      method: 'post',
      path: '/v1/sync/history/{historyId}/retry',
      summary: 'Retry every record that failed in the run and is still not synced',
      description: 'The retry is a run of its own in the history (trigger `retry`, `retryOf` this run).',
      request: { params: RunParamsSchema },
      responses: { 202: json(RetryAnswerSchema, 'Queued'), ...errors(...RETRY_ERRORS) },
    }),
    async (c) => {
      const session = c.var.session!
      const { historyId } = c.req.valid('param')
      return c.json(
        await c.var.services.sync.history.retry(session.tenant.id, historyId, session.user.id),
        202,
      )
    },
  )
  .openapi(
    createRoute({
      ...member,
      method: 'post',
      path: '/v1/sync/history/{historyId}/items/{recordKind}/{recordId}/retry',
      summary: 'Retry one record that failed in the run',
      request: { params: ItemParamsSchema },
      responses: {
        202: json(RetryAnswerSchema, 'Queued (0 when it is synced since)'),
        ...errors(...RETRY_ERRORS),
      },
    }),
    async (c) => {
      const session = c.var.session!
      const { historyId, recordKind, recordId } = c.req.valid('param')
      return c.json(
        await c.var.services.sync.history.retry(session.tenant.id, historyId, session.user.id, {
          kind: recordKind,
          recordId,
        }),
        202,
      )
    },
  )
