import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import { streamSSE } from 'hono/streaming'
import {
  BULK_EVENTS,
  BulkListQuerySchema,
  BulkPreviewQuerySchema,
  BulkPreviewSchema,
  BulkRequestSchema,
  BulkRunListSchema,
  BulkRunParamsSchema,
  BulkRunSchema,
} from '../../../shared/bulk.ts'
import { watchRun } from '../../sync/bulk-watch.ts'
import { requireSession } from '../middleware/auth.ts'
import { SECURITY, createRouter, errors, json, jsonBody } from '../openapi.ts'

/**
 * Bulk sync for the widget ("Sync invoices", "Sync customers"): preview what a run would send,
 * start it, list the runs still going (a page follows one started elsewhere), follow one (JSON, or
 * a server-sent event stream that ends with the run) and cancel it.
 * Members may do all of it; the tenant is the session's, and another tenant's run answers 404.
 */
const member = { security: SECURITY.session, middleware: [requireSession()], tags: ['Sync'] }

export const syncBulk = createRouter()
  .openapi(
    createRoute({
      ...member,
      method: 'get',
      path: '/v1/sync/bulk/preview',
      summary: 'What a bulk sync would send now, with counts ("37 invoices and the 12 customers they need")',
      request: { query: BulkPreviewQuerySchema },
      responses: {
        200: json(BulkPreviewSchema, 'The counts, skipping what is synced or queued'),
        ...errors('unauthenticated', 'no_connection'),
      },
    }),
    async (c) => {
      const { kind } = c.req.valid('query')
      return c.json(await c.var.services.sync.bulk.preview(c.var.session!.tenant.id, kind), 200)
    },
  )
  .openapi(
    createRoute({
      ...member,
      method: 'post',
      path: '/v1/sync/bulk',
      summary: 'Start a bulk sync of every invoice (or customer) not yet synced; safe to run again',
      request: jsonBody(BulkRequestSchema),
      responses: {
        202: json(BulkRunSchema, 'Started: follow it with the progress routes'),
        ...errors(
          'unauthenticated',
          'no_connection',
          'sync_disabled',
          'malformed_request',
          'unsupported_media_type',
        ),
      },
    }),
    async (c) => {
      const { kind } = c.req.valid('json')
      const session = c.var.session!
      const { run } = await c.var.services.sync.bulk.start(session.tenant.id, kind, session.user.id)
      return c.json(run, 202)
    },
  )
  .openapi(
    createRoute({
      ...member,
      method: 'get',
      path: '/v1/sync/bulk',
      summary: 'The bulk syncs still running, newest first, so a page can follow one started on another page',
      request: { query: BulkListQuerySchema },
      responses: {
        200: json(BulkRunListSchema, 'The runs not yet finished, with their progress'),
        ...errors('unauthenticated'),
      },
    }),
    // The query is validated before this runs: `active` can only be 'true'.
    async (c) => c.json({ data: await c.var.services.sync.bulk.active(c.var.session!.tenant.id) }, 200),
  )
  .openapi(
    createRoute({
      ...member,
      method: 'get',
      path: '/v1/sync/bulk/{runId}',
      summary: 'A bulk sync and its progress (done, failed, cancelled, remaining)',
      request: { params: BulkRunParamsSchema },
      responses: { 200: json(BulkRunSchema, 'The run'), ...errors('unauthenticated', 'not_found') },
    }),
    async (c) => {
      const { runId } = c.req.valid('param')
      return c.json(await c.var.services.sync.bulk.get(c.var.session!.tenant.id, runId), 200)
    },
  )
  .openapi(
    createRoute({
      ...member,
      method: 'get',
      path: '/v1/sync/bulk/{runId}/events',
      summary: 'The progress of a bulk sync as server-sent events: `progress` on each change, then `end`',
      request: { params: BulkRunParamsSchema },
      responses: {
        200: {
          description: 'An event stream; each event’s data is a BulkRun. It closes when the run ends.',
          content: { 'text/event-stream': { schema: z.string() } },
        },
        ...errors('unauthenticated', 'not_found'),
      },
    }),
    async (c) => {
      const tenantId = c.var.session!.tenant.id
      const { runId } = c.req.valid('param')
      const { bulk, queue } = c.var.services.sync
      // Before the stream starts, so an unknown run answers 404 with our error body.
      await bulk.get(tenantId, runId)
      return streamSSE(c, async (stream) => {
        const closed = new AbortController()
        stream.onAbort(() => closed.abort())
        let id = 0
        for await (const run of watchRun({ bulk, queue }, tenantId, runId, closed.signal)) {
          await stream.writeSSE({ event: BULK_EVENTS.progress, data: JSON.stringify(run), id: String(++id) })
          if (run.finishedAt !== null)
            await stream.writeSSE({ event: BULK_EVENTS.end, data: JSON.stringify(run), id: String(++id) })
        }
      })
    },
  )
  .openapi(
    createRoute({
      ...member,
      method: 'post',
      path: '/v1/sync/bulk/{runId}/cancel',
      summary: 'Cancel a bulk sync: queued batches are cancelled, running ones finish',
      request: { params: BulkRunParamsSchema },
      responses: {
        200: json(BulkRunSchema, 'The run, cancelled'),
        ...errors('unauthenticated', 'not_found'),
      },
    }),
    async (c) => {
      const { runId } = c.req.valid('param')
      return c.json(await c.var.services.sync.bulk.cancel(c.var.session!.tenant.id, runId), 200)
    },
  )
