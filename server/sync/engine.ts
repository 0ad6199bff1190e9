import type { Queryable, Db } from '../db/client.ts'
import type { Connections, ProviderLookup } from '../connections/service.ts'
import type { ProviderId } from '../../shared/providers.ts'
import type { Logger } from '../logging/logger.ts'
import { AppError } from '../errors.ts'
import { batchSizeOf, createBulkRuns, type EnqueueBatch } from './bulk-runs.ts'
import { createProviderCalls } from './provider-calls.ts'
import { createCustomerPush, type CustomersPayload } from './push-customers.ts'
import { createHistory, type History, type Trigger } from './history.ts'
import { createInvoicePush, type PushPayload } from './push-invoices.ts'
import { createPaymentPush, type PaymentsPayload } from './push-payments.ts'
import { createCreditNotePush, type CreditNotesPayload } from './push-credit-notes.ts'
import { createQueue, type Queue } from './queue.ts'
import { createRateLimiter } from './rate-limit.ts'
import { assertSyncOn, createSyncSettings, readSettings, refusal } from './settings.ts'
import type { RecordKind } from './sync-repo.ts'
import { createWorker, JobHeld, type JobHandler } from './worker.ts'

/** How long held work waits before it looks at its tenant's switches again (turning on releases it at once). */
const HELD_RECHECK_MS = 60 * 60 * 1000

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
  /** A job of a cancelled run that would retry stops instead: the run's cancel reaches its retries. */
  const ofRun =
    (handler: JobHandler): JobHandler =>
    async (ctx) => {
      try {
        await handler(ctx)
      } catch (err) {
        if (ctx.job.runId && (await bulk.cancelled(ctx.job.runId)))
          throw new AppError('invalid_state_change', {
            message: 'The bulk sync was cancelled before this batch could finish.',
          })
        throw err
      }
    }
  /**
   * A push whose tenant has turned sync (or this kind of record) off waits, queued and counted as
   * pending, without spending an attempt; turning it back on releases it (settings.ts). One that
   * was already running when the switch went off finishes.
   */
  const whileOn =
    (kind: RecordKind, handler: JobHandler): JobHandler =>
    async (ctx) => {
      const why = refusal(await readSettings(db, ctx.job.tenantId), kind)
      if (why) throw new JobHeld(why, HELD_RECHECK_MS)
      await handler(ctx)
    }
  const push = { db, providers: deps.providers, calls, log: deps.log, now }
  const jobKinds = {
    invoice: 'push_invoices',
    customer: 'push_customers',
    payment: 'push_payments',
    credit_note: 'push_credit_notes',
  } as const
  const invoicePush = createInvoicePush(push)
  const handlers = {
    [jobKinds.invoice]: whileOn('invoice', ofRun(invoicePush)),
    [jobKinds.customer]: whileOn('customer', ofRun(createCustomerPush(push))),
    [jobKinds.payment]: whileOn(
      'payment',
      ofRun(createPaymentPush({ ...push, postInvoices: invoicePush.postInvoices })),
    ),
    [jobKinds.credit_note]: whileOn(
      'credit_note',
      ofRun(createCreditNotePush({ ...push, postInvoices: invoicePush.postInvoices })),
    ),
    ...deps.otherJobs,
  }
  const settings = createSyncSettings({ db, now, jobKinds, released: () => queue.notify() })

  /**
   * Queues a push of these records to the connection, inside the caller's transaction. One push
   * at a time per organisation (the lock key): a new customer's contact is created once.
   */
  const payloads = {
    invoice: (connectionId: string, ids: string[]): PushPayload => ({ connectionId, invoiceIds: ids }),
    customer: (connectionId: string, ids: string[]): CustomersPayload => ({ connectionId, customerIds: ids }),
    payment: (connectionId: string, ids: string[]): PaymentsPayload => ({ connectionId, paymentIds: ids }),
    credit_note: (connectionId: string, ids: string[]): CreditNotesPayload => ({
      connectionId,
      creditNoteIds: ids,
    }),
  }
  const history = createHistory({ db, now })
  const enqueueBatch: EnqueueBatch = async (q, batch) => {
    const job = await queue.enqueue(q, {
      kind: jobKinds[batch.kind],
      tenantId: batch.tenantId,
      connectionId: batch.connectionId,
      payload: {
        ...payloads[batch.kind](batch.connectionId, batch.ids),
        trigger: batch.trigger ?? { kind: 'system' },
      },
      lockKey: `push:${batch.connectionId}`,
      ...(batch.ids.length === 1 ? { dedupeKey: `push:${batch.connectionId}:${batch.ids[0]!}` } : {}),
      ...(batch.runId ? { runId: batch.runId } : {}),
    })
    if (job.created)
      for (const id of batch.ids)
        await q.run('INSERT INTO job_records (job_id, record_kind, record_id) VALUES (?, ?, ?)', [
          job.id,
          batch.kind,
          id,
        ])
    return job
  }
  const bulk = createBulkRuns({ db, queue, providers: deps.providers, enqueueBatch, now })

  const activeConnection = (q: Queryable, tenantId: string) =>
    q.get<{ id: string; provider: ProviderId }>(
      "SELECT id, provider FROM connections WHERE tenant_id = ? AND status = 'active'",
      [tenantId],
    )

  /**
   * The outbox: an event of the app (an invoice or credit note sent, a payment recorded, a customer
   * edited) queues the record's push in the transaction that wrote it, when auto-sync and the
   * record's switch are on, there is a connection, and `wanted` (if given) agrees.
   */
  async function onEvent(
    tx: Queryable,
    tenantId: string,
    kind: RecordKind,
    id: string,
    event: Extract<Trigger, { kind: 'event' }>['event'],
    wanted?: (connectionId: string) => Promise<boolean>,
  ) {
    const current = await readSettings(tx, tenantId)
    if (!current.autoSyncOnSend || refusal(current, kind)) return
    const connection = await activeConnection(tx, tenantId)
    if (!connection || (wanted && !(await wanted(connection.id)))) return
    await enqueueBatch(tx, {
      kind,
      tenantId,
      connectionId: connection.id,
      ids: [id],
      trigger: { kind: 'event', event },
    })
  }

  return {
    queue,
    limiter,
    calls,
    handlers,

    /** The outbox: in the transaction that marks an invoice sent, its push is queued (if auto-sync is on). */
    invoiceSent: (tx: Queryable, tenantId: string, invoiceId: string) =>
      onEvent(tx, tenantId, 'invoice', invoiceId, 'invoice_sent'),

    /**
     * The outbox for payments: in the transaction that records, changes or removes a payment, its
     * push is queued (if auto-sync and payments are on). Its invoice goes first when it must.
     */
    paymentChanged: (tx: Queryable, tenantId: string, paymentId: string) =>
      onEvent(tx, tenantId, 'payment', paymentId, 'payment_recorded'),

    /**
     * The outbox for credit notes: in the transaction that sends, changes (once sent) or voids one,
     * its push is queued (if auto-sync and credit notes are on), and with it its allocation.
     */
    creditNoteChanged: (tx: Queryable, tenantId: string, creditNoteId: string) =>
      onEvent(tx, tenantId, 'credit_note', creditNoteId, 'credit_note_sent'),

    /**
     * The outbox for customers: an edit of a customer that already has a contact at the current
     * connection queues the contact's update (name, email, phone), with auto-sync and customers
     * on. A customer with no contact yet gets one when an invoice of theirs goes, or in a run.
     */
    customerChanged: (tx: Queryable, tenantId: string, customerId: string) =>
      onEvent(tx, tenantId, 'customer', customerId, 'customer_changed', async (connectionId) =>
        Boolean(
          await tx.get(
            "SELECT 1 AS linked FROM sync_links WHERE connection_id = ? AND record_kind = 'customer' AND record_id = ?",
            [connectionId, customerId],
          ),
        ),
      ),

    /** Wakes this process's workers after an outbox write committed. */
    committed: () => queue.notify(),

    /**
     * Sync now (or again, after an edit or a failure), for one record or a batch of one kind:
     * queued at once, answered with the job (null with no connection). A payment's or credit
     * note's invoice goes first when it must.
     */
    async pushNow(tenantId: string, kind: RecordKind, ids: string[], by: string | null = null) {
      const job = await db.transaction(async (tx) => {
        await assertSyncOn(tx, tenantId, kind)
        const connection = await activeConnection(tx, tenantId)
        if (!connection) return null
        const trigger: Trigger = by ? { kind: 'user', by } : { kind: 'system' }
        return enqueueBatch(tx, { kind, tenantId, connectionId: connection.id, ids, trigger })
      })
      queue.notify()
      return job
    },

    /** A worker for this process (npm start runs one; npm run worker runs only workers). */
    worker(options: { owner: string; concurrency?: number; pollMs?: number; leaseMs?: number }) {
      return createWorker({
        db,
        queue,
        handlers,
        log: deps.log,
        now,
        settled: async (tx, job) => {
          await history.settled(tx, job)
          if (job.runId) await bulk.finishIfDone(tx, job.runId)
        },
        ...deps.workerDefaults,
        ...options,
      })
    },

    /** The sync history (routes/history.ts), and its retries. */
    history: {
      list: (...args: Parameters<History['list']>) => history.list(...args),
      get: (tenantId: string, id: string) => history.get(tenantId, id),
      /**
       * Queues again the records of a run that failed and are still not synced (or one of them),
       * a provider batch a job; answers how many and the jobs. What is synced since is left out.
       */
      async retry(
        tenantId: string,
        historyId: string,
        by: string,
        only?: { kind: RecordKind; recordId: string },
      ) {
        const { kind, ids } = await history.stillFailing(tenantId, historyId, only)
        await assertSyncOn(db, tenantId, kind)
        const jobs = await db.transaction(async (tx) => {
          const connection = await activeConnection(tx, tenantId)
          if (!connection) throw new AppError('no_connection')
          const step = batchSizeOf(deps.providers.get(connection.provider), kind)
          const queued: string[] = []
          for (let i = 0; i < ids.length; i += step)
            queued.push(
              (
                await enqueueBatch(tx, {
                  kind,
                  tenantId,
                  connectionId: connection.id,
                  ids: ids.slice(i, i + step),
                  trigger: { kind: 'retry', by, retryOf: historyId },
                })
              ).id,
            )
          return queued
        })
        queue.notify()
        return { retried: ids.length, jobIds: jobs }
      },
    },

    /** Bulk runs: preview, start, progress, cancel (routes/sync-bulk.ts). */
    bulk,

    /** The tenant's sync switches (routes/settings.ts). */
    settings,

    /** A bulk sync of invoices started by the system (no person): the run and its job ids. */
    async bulkPush(tenantId: string) {
      const { run, jobs } = await bulk.start(tenantId, 'invoices', 'system')
      return { run, jobs, invoices: run.progress.total }
    },
  }
}

export type SyncEngine = ReturnType<typeof createSyncEngine>
