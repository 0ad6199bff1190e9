import type { BulkKind, BulkPreview, BulkProgress, BulkRun } from '../../shared/bulk.ts'
import type { Db, Queryable } from '../db/client.ts'
import { emitEvent } from '../events/log.ts'
import { AppError } from '../errors.ts'
import { newId } from '../ids.ts'
import type { ProviderLookup } from '../connections/service.ts'
import type { ProviderAdapter } from '../providers/provider.ts'
import type { ProviderId } from '../../shared/providers.ts'
import type { Trigger } from './history.ts'
import type { Queue } from './queue.ts'
import { readSettings, refusal } from './settings.ts'
import {
  PROGRESS,
  UNSYNCED_CREDIT_NOTES,
  UNSYNCED_CUSTOMERS,
  UNSYNCED_INVOICES,
  UNSYNCED_PAYMENTS,
} from './bulk-queries.ts'
import { countOf, type RecordKind } from '../records/kinds.ts'

/**
 * Bulk runs (sync_runs): "Sync invoices" queues every sent invoice not synced at its version, and
 * "Sync customers" every customer with no contact yet or edited since its contact was written, in
 * jobs of one provider batch each, in the one transaction that records the run. What is synced or already queued is left out, so a run is
 * safe to start again. Progress is counted from the run's jobs and their records' links and errors;
 * cancel cancels the queued jobs and lets the running ones finish their batch.
 */
export type EnqueueBatch = (
  q: Queryable,
  batch: {
    kind: RecordKind
    tenantId: string
    connectionId: string
    ids: string[]
    runId?: string
    /** Who or what queued it, for the history (a bulk run's jobs: the run's starter). */
    trigger?: Trigger
  },
) => Promise<{ id: string }>

interface RunRow {
  id: string
  tenant_id: string
  connection_id: string
  kind: BulkKind
  started_by: string
  created_at: number
  finished_at: number | null
  cancelled_at: number | null
}

/**
 * How many records of a kind one job carries: a provider batch. Customers go a lookup batch a job
 * (Sage writes one a request but finds many in one read); payments, the provider's payment batch.
 */
export function batchSizeOf(adapter: ProviderAdapter | undefined, kind: RecordKind): number {
  const size = adapter?.facts.batchSize ?? 1
  if (kind === 'customer') return adapter?.sync?.contacts.lookupBatch ?? size
  if (kind === 'payment') return adapter?.sync?.payments.batchSize ?? size
  return size
}

const RECORD_KIND: Record<BulkKind, RecordKind> = {
  invoices: 'invoice',
  customers: 'customer',
  payments: 'payment',
  credit_notes: 'credit_note',
}
/** The record kind a bulk run of this kind carries. */
export const recordKindOf = (kind: BulkKind): RecordKind => RECORD_KIND[kind]

/** The confirmation's words: "37 invoices and the 12 customers they need". */
function summaryOf(
  kind: BulkKind,
  p: { invoices: number; payments: number; creditNotes: number; customers: number; updates: number },
): string {
  if (kind === 'customers')
    return p.updates === 0
      ? countOf(p.customers, 'customer')
      : `${countOf(p.customers, 'customer')} (${p.customers - p.updates} new, ${p.updates} updated)`
  const needs = [
    ...(kind !== 'invoices' && p.invoices > 0 ? [countOf(p.invoices, 'invoice')] : []),
    ...(p.customers > 0 ? [countOf(p.customers, 'customer')] : []),
  ]
  const main =
    kind === 'payments'
      ? countOf(p.payments, 'payment')
      : kind === 'credit_notes'
        ? countOf(p.creditNotes, 'credit_note')
        : countOf(p.invoices, 'invoice')
  return needs.length === 0 ? main : `${main} and the ${needs.join(' and ')} they need`
}

/** The tenant's runs not stamped finished, newest first, read in order from sync_runs_tenant. */
export const ACTIVE_RUNS =
  'SELECT * FROM sync_runs WHERE tenant_id = ? AND finished_at IS NULL ORDER BY created_at DESC LIMIT 20'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function createBulkRuns(deps: {
  db: Db
  queue: Queue
  providers: ProviderLookup
  enqueueBatch: EnqueueBatch
  now: () => number
}) {
  const { db, queue, now } = deps

  async function connectionOf(q: Queryable, tenantId: string) {
    const conn = await q.get<{ id: string; provider: ProviderId }>(
      "SELECT id, provider FROM connections WHERE tenant_id = ? AND status = 'active'",
      [tenantId],
    )
    if (!conn) throw new AppError('no_connection')
    return conn
  }

  /** Which of these records have no link at this connection yet. */
  async function unlinked(q: Queryable, connectionId: string, kind: RecordKind, ids: string[]) {
    const linked = new Set<string>()
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500)
      const found = await q.all<{ record_id: string }>(
        `SELECT record_id FROM sync_links WHERE connection_id = ? AND record_kind = ? AND record_id IN (${chunk.map(() => '?').join(', ')})`,
        [connectionId, kind, ...chunk],
      )
      for (const f of found) linked.add(f.record_id)
    }
    return ids.filter((id) => !linked.has(id))
  }

  /**
   * What a run would queue now: the records, and (for invoices and payments) the customers they
   * need with no contact yet; for payments, how many of their invoices are still to post (each
   * payment's job posts its invoice first).
   */
  async function plan(q: Queryable, tenantId: string, connectionId: string, kind: BulkKind) {
    if (kind === 'customers') {
      const rows = await q.all<{ id: string; linked: number }>(UNSYNCED_CUSTOMERS, [tenantId, connectionId])
      const updates = rows.filter((r) => r.linked).length
      return {
        ids: rows.map((r) => r.id),
        customerIds: [],
        invoices: 0,
        payments: 0,
        creditNotes: 0,
        customers: rows.length,
        updates,
      }
    }
    if (kind === 'credit_notes') {
      const rows = await q.all<{ id: string; customer_id: string; invoice_id: string | null }>(
        UNSYNCED_CREDIT_NOTES,
        [tenantId, connectionId],
      )
      const invoiceIds = [...new Set(rows.flatMap((r) => (r.invoice_id ? [r.invoice_id] : [])))]
      const needed = await unlinked(q, connectionId, 'customer', [...new Set(rows.map((r) => r.customer_id))])
      return {
        ids: rows.map((r) => r.id),
        customerIds: needed,
        invoices: (await unlinked(q, connectionId, 'invoice', invoiceIds)).length,
        payments: 0,
        creditNotes: rows.length,
        customers: needed.length,
        updates: 0,
      }
    }
    if (kind === 'payments') {
      const rows = await q.all<{ id: string; invoice_id: string; customer_id: string }>(UNSYNCED_PAYMENTS, [
        tenantId,
        connectionId,
      ])
      const invoices = await q.all<{ n: number }>(
        `SELECT count(DISTINCT i.id) AS n FROM payments p JOIN invoices i ON i.id = p.invoice_id
         LEFT JOIN sync_links l ON l.connection_id = ?2 AND l.record_kind = 'invoice' AND l.record_id = i.id
         WHERE p.tenant_id = ?1 AND p.removed_at IS NULL AND (l.synced_version IS NULL OR l.synced_version < i.push_version)`,
        [tenantId, connectionId],
      )
      const needed = await unlinked(q, connectionId, 'customer', [...new Set(rows.map((r) => r.customer_id))])
      return {
        ids: rows.map((r) => r.id),
        customerIds: needed,
        invoices: rows.length === 0 ? 0 : invoices[0]!.n,
        payments: rows.length,
        creditNotes: 0,
        customers: needed.length,
        updates: 0,
      }
    }
    const rows = await q.all<{ id: string; customer_id: string }>(UNSYNCED_INVOICES, [tenantId, connectionId])
    const customerIds = [...new Set(rows.map((r) => r.customer_id))]
    const needed = await unlinked(q, connectionId, 'customer', customerIds)
    return {
      ids: rows.map((r) => r.id),
      customerIds: needed,
      invoices: rows.length,
      payments: 0,
      creditNotes: 0,
      customers: needed.length,
      updates: 0,
    }
  }

  async function progress(q: Queryable, run: RunRow): Promise<BulkProgress> {
    const kind = recordKindOf(run.kind)
    const row = (await q.get<{ total: number; remaining: number; cancelled: number; done: number }>(
      PROGRESS,
      [run.id, kind],
    ))!
    const failed = row.total - row.remaining - row.cancelled - row.done
    return { total: row.total, done: row.done, failed, cancelled: row.cancelled, remaining: row.remaining }
  }

  async function view(row: RunRow): Promise<BulkRun> {
    const counts = await progress(db, row)
    let finishedAt = row.finished_at
    const open = await db.get<{ n: number }>(
      "SELECT count(*) AS n FROM jobs WHERE run_id = ? AND state IN ('queued', 'running')",
      [row.id],
    )
    if (finishedAt === null && open!.n === 0) {
      // The first reader after the last job settles stamps the end; later readers keep that time.
      finishedAt = now()
      await db.run('UPDATE sync_runs SET finished_at = ? WHERE id = ? AND finished_at IS NULL', [
        finishedAt,
        row.id,
      ])
      finishedAt = (await db.get<{ at: number }>('SELECT finished_at AS at FROM sync_runs WHERE id = ?', [
        row.id,
      ]))!.at
    }
    return {
      id: row.id,
      kind: row.kind,
      startedBy: row.started_by,
      createdAt: iso(row.created_at)!,
      finishedAt: iso(finishedAt),
      cancelledAt: iso(row.cancelled_at),
      progress: counts,
    }
  }

  /**
   * Stamps the run's end once its last job has settled (in that job's settling transaction, or a
   * cancel's) and tells the host: `bulk_run.finished` with its counts, once.
   */
  async function finishIfDone(tx: Queryable, runId: string) {
    const open = await tx.get<{ n: number }>(
      "SELECT count(*) AS n FROM jobs WHERE run_id = ? AND state IN ('queued', 'running')",
      [runId],
    )
    if (open!.n > 0) return
    const at = now()
    const { changes } = await tx.run(
      'UPDATE sync_runs SET finished_at = ? WHERE id = ? AND finished_at IS NULL',
      [at, runId],
    )
    if (changes === 0) return
    const run = (await tx.get<RunRow>('SELECT * FROM sync_runs WHERE id = ?', [runId]))!
    await emitEvent(
      tx,
      { tenantId: run.tenant_id },
      'bulk_run.finished',
      { kind: 'bulk_run', id: run.id },
      {
        runId: run.id,
        kind: run.kind,
        startedBy: run.started_by,
        cancelled: run.cancelled_at !== null,
        progress: await progress(tx, run),
      },
      at,
    )
  }

  async function runRow(tenantId: string, runId: string) {
    const row = await db.get<RunRow>('SELECT * FROM sync_runs WHERE id = ? AND tenant_id = ?', [
      runId,
      tenantId,
    ])
    if (!row) throw new AppError('not_found', { message: 'No such bulk sync.' })
    return row
  }

  return {
    async preview(tenantId: string, kind: BulkKind): Promise<BulkPreview> {
      const conn = await connectionOf(db, tenantId)
      const p = await plan(db, tenantId, conn.id, kind)
      return {
        kind,
        invoices: p.invoices,
        creditNotes: p.creditNotes,
        payments: p.payments,
        customers: p.customers,
        summary: summaryOf(kind, p),
      }
    },

    /** Records the run and queues its jobs in one transaction; answers the run and its job ids. */
    async start(tenantId: string, kind: BulkKind, startedBy: string) {
      const planned = await db.transaction(async (tx) => {
        const settings = await readSettings(tx, tenantId)
        const why = refusal(settings, recordKindOf(kind))
        if (why) throw new AppError('sync_disabled', { message: why })
        const conn = await connectionOf(tx, tenantId)
        const adapter = deps.providers.get(conn.provider)
        const { ids, customerIds } = await plan(tx, tenantId, conn.id, kind)
        const at = now()
        const runId = newId('run', at)
        await tx.run(
          'INSERT INTO sync_runs (id, tenant_id, connection_id, kind, started_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          [runId, tenantId, conn.id, kind, startedBy, at],
        )
        const jobs: string[] = []
        const enqueue = async (recordKind: RecordKind, all: string[]) => {
          const step = batchSizeOf(adapter, recordKind)
          for (let i = 0; i < all.length; i += step) {
            const batch = {
              kind: recordKind,
              tenantId,
              connectionId: conn.id,
              ids: all.slice(i, i + step),
              runId,
              trigger:
                startedBy === 'system'
                  ? ({ kind: 'system' } as const)
                  : ({ kind: 'bulk', by: startedBy } as const),
            }
            jobs.push((await deps.enqueueBatch(tx, batch)).id)
          }
        }
        // The customers the invoices need go first, a batch a job: their contacts are found and
        // created a batch at a time, not a few in every invoice job (jobs run in queue order).
        // (With customer sync off, each invoice's batch makes the contacts it needs itself.)
        if (refusal(settings, 'customer') === null) await enqueue('customer', customerIds)
        await enqueue(recordKindOf(kind), ids)
        return { runId, jobs }
      })
      queue.notify()
      return { run: await view(await runRow(tenantId, planned.runId)), jobs: planned.jobs }
    },

    /**
     * The tenant's runs still going, newest first (at most 20), read through sync_runs_tenant. A
     * run whose last job settled unread is stamped finished here and left out.
     */
    async active(tenantId: string): Promise<BulkRun[]> {
      const rows = await db.all<RunRow>(ACTIVE_RUNS, [tenantId])
      const runs: BulkRun[] = []
      // One after the other: view() may write the end stamp.
      for (const row of rows) runs.push(await view(row))
      return runs.filter((r) => r.finishedAt === null)
    },

    async get(tenantId: string, runId: string): Promise<BulkRun> {
      return view(await runRow(tenantId, runId))
    },

    /**
     * Queued jobs of the run are cancelled now; running ones finish their batch. A run with no job
     * left to stop has ended: cancelling it changes nothing.
     */
    async cancel(tenantId: string, runId: string): Promise<BulkRun> {
      const row = await runRow(tenantId, runId)
      const cancelled = await db.transaction(async (tx) => {
        await tx.run(
          `UPDATE sync_runs SET cancelled_at = coalesce(cancelled_at, ?) WHERE id = ?
             AND EXISTS (SELECT 1 FROM jobs WHERE run_id = sync_runs.id AND state IN ('queued', 'running'))`,
          [now(), row.id],
        )
        const ids = await queue.cancelRun(tx, row.id)
        await finishIfDone(tx, row.id)
        return ids
      })
      for (const id of cancelled) queue.settled(id)
      return view(await runRow(tenantId, runId))
    },

    /** A job of a run settled (the worker's settling transaction): the run may have ended. */
    finishIfDone,

    /** True when a run was cancelled: a job of it that would retry stops instead. */
    async cancelled(runId: string): Promise<boolean> {
      const row = await db.get<{ at: number | null }>(
        'SELECT cancelled_at AS at FROM sync_runs WHERE id = ?',
        [runId],
      )
      return row?.at != null
    },
  }
}

export type BulkRuns = ReturnType<typeof createBulkRuns>
