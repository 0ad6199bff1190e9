import type { Queryable, Db } from '../db/client.ts'
import type { Connections, ProviderLookup } from '../connections/service.ts'
import type { ProviderId } from '../../shared/providers.ts'
import type { Logger } from '../logging/logger.ts'
import { createProviderCalls } from './provider-calls.ts'
import { createInvoicePush, type PushPayload } from './push-invoices.ts'
import { createQueue, type Queue } from './queue.ts'
import { createRateLimiter } from './rate-limit.ts'
import { createWorker, type JobHandler } from './worker.ts'

/**
 * The sync engine: the durable queue, the per-organisation limits, the job kinds and the worker
 * that runs them. Each kind of work (push invoices today; customers, credit notes, payments next)
 * is a handler here and an enqueue function, not a new mechanism.
 */
export function createSyncEngine(deps: {
  db: Db
  connections: Connections
  providers: ProviderLookup
  log: Logger
  now: () => number
  timeScale?: number
  workerDefaults?: { concurrency?: number; leaseMs?: number }
  /** The queue, when others enqueue on it too (connection checks); by default one of its own. */
  queue?: Queue
  /** Job kinds that are not sync work (periodic maintenance, connection checks), run by the same workers. */
  otherJobs?: Readonly<Record<string, JobHandler>>
}) {
  const { db, now } = deps
  const queue = deps.queue ?? createQueue({ db, now })
  const limiter = createRateLimiter({ db, now, ...(deps.timeScale ? { timeScale: deps.timeScale } : {}) })
  const calls = createProviderCalls({ tokens: deps.connections.tokens, limiter, now })
  const handlers = {
    push_invoices: createInvoicePush({ db, providers: deps.providers, calls, log: deps.log, now }),
    ...deps.otherJobs,
  }

  /** Queues a push of these invoices to the tenant's connection, inside the caller's transaction. */
  async function enqueuePush(q: Queryable, tenantId: string, invoiceIds: string[], connectionId: string) {
    const job = await queue.enqueue(q, {
      kind: 'push_invoices',
      tenantId,
      connectionId,
      payload: { connectionId, invoiceIds } satisfies PushPayload,
      // One push at a time per organisation: a new customer's contact is created once.
      lockKey: `push:${connectionId}`,
      ...(invoiceIds.length === 1 ? { dedupeKey: `push:${connectionId}:${invoiceIds[0]!}` } : {}),
    })
    if (job.created)
      for (const id of invoiceIds)
        await q.run('INSERT INTO job_records (job_id, record_kind, record_id) VALUES (?, ?, ?)', [
          job.id,
          'invoice',
          id,
        ])
    return job
  }

  /** Sent (or paid) invoices whose link is missing or older than the invoice, with no push queued. */
  const UNSYNCED = `SELECT i.id FROM invoices i
    LEFT JOIN sync_links l ON l.connection_id = ?2 AND l.record_kind = 'invoice' AND l.record_id = i.id
    WHERE i.tenant_id = ?1 AND i.status IN ('sent', 'paid') AND (l.synced_version IS NULL OR l.synced_version < i.version)
      AND NOT EXISTS (SELECT 1 FROM job_records r JOIN jobs j ON j.id = r.job_id
        WHERE r.record_kind = 'invoice' AND r.record_id = i.id AND j.state IN ('queued', 'running'))
    ORDER BY i.id`

  const activeConnection = (q: Queryable, tenantId: string) =>
    q.get<{ id: string }>("SELECT id FROM connections WHERE tenant_id = ? AND status = 'active'", [tenantId])

  return {
    queue,
    limiter,
    calls,
    handlers,

    /** The outbox: in the transaction that marks an invoice sent, its push is queued (if auto-sync is on). */
    async invoiceSent(tx: Queryable, tenantId: string, invoiceId: string) {
      const settings = await tx.get<{ auto_sync_on_send: number }>(
        'SELECT auto_sync_on_send FROM tenant_settings WHERE tenant_id = ?',
        [tenantId],
      )
      if (settings && settings.auto_sync_on_send === 0) return
      const connection = await activeConnection(tx, tenantId)
      if (connection) await enqueuePush(tx, tenantId, [invoiceId], connection.id)
    },

    /** Sync now, for one invoice or a batch: queued at once, answered with the job. */
    async pushNow(tenantId: string, invoiceIds: string[]) {
      const job = await db.transaction(async (tx) => {
        const connection = await activeConnection(tx, tenantId)
        if (!connection) return null
        return enqueuePush(tx, tenantId, invoiceIds, connection.id)
      })
      queue.notify()
      return job
    },

    /** A worker for this process (npm start runs one; npm run worker runs only workers). */
    worker(options: { owner: string; concurrency?: number; pollMs?: number; leaseMs?: number }) {
      return createWorker({ db, queue, handlers, log: deps.log, now, ...deps.workerDefaults, ...options })
    },

    /**
     * Bulk sync: every sent invoice of the tenant not synced at its version and not already queued,
     * in jobs of one batch each, queued in one transaction. Safe to run again: what is synced or
     * queued is left alone.
     */
    async bulkPush(tenantId: string) {
      const planned = await db.transaction(async (tx) => {
        const connection = await activeConnection(tx, tenantId)
        if (!connection) return null
        const adapter = deps.providers.get(
          (await tx.get<{ provider: ProviderId }>('SELECT provider FROM connections WHERE id = ?', [
            connection.id,
          ]))!.provider,
        )
        const ids = (await tx.all<{ id: string }>(UNSYNCED, [tenantId, connection.id])).map((r) => r.id)
        const size = adapter?.facts.batchSize ?? 1
        const jobs = []
        for (let i = 0; i < ids.length; i += size)
          jobs.push((await enqueuePush(tx, tenantId, ids.slice(i, i + size), connection.id)).id)
        return { jobs, invoices: ids.length }
      })
      queue.notify()
      return planned
    },
  }
}

export type SyncEngine = ReturnType<typeof createSyncEngine>
