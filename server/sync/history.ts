import { ERRORS, type ErrorCode } from '../../shared/errors.ts'
import {
  HISTORY_DAYS_DEFAULT,
  type HistoryItem,
  type HistoryRun,
  type HistoryRunDetail,
} from '../../shared/history.ts'
import { formatMinor } from '../../shared/money.ts'
import type { ProviderId } from '../../shared/providers.ts'
import type { Db, Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { newId } from '../ids.ts'
import type { RecordKind } from '../records/kinds.ts'
import type { BulkKind } from '../../shared/bulk.ts'
import { recordKindOf } from './bulk-runs.ts'
import type { Job } from './job.ts'
import { syncStates } from './sync-state.ts'

/**
 * Sync history (migration 0024): each sync job, when it settles for good (succeeded, or failed
 * after its attempts), writes its run in the transaction that settles it, so no run is lost and
 * none is written twice. A bulk run is one run of the history, its jobs adding their counts to it.
 * The failed records are copied in, in the bookkeeper's words, so the run keeps telling what
 * happened after a retry fixed them, a reconnect, or a switch of provider.
 */

/** Who or what queued a push: kept in the job's payload, read back when it settles. */
export type Trigger =
  | { kind: 'user'; by: string }
  | { kind: 'event'; event: 'invoice_sent' | 'payment_recorded' | 'credit_note_sent' | 'customer_changed' }
  | { kind: 'bulk'; by: string }
  | { kind: 'retry'; by: string; retryOf: string }
  | { kind: 'system' }

interface HistoryRow {
  id: string
  tenant_id: string
  connection_id: string
  provider: ProviderId
  organisation_name: string
  record_kind: RecordKind
  trigger: Trigger['kind']
  event: 'invoice_sent' | 'payment_recorded' | 'credit_note_sent' | 'customer_changed' | null
  started_by: string | null
  retry_of: string | null
  run_id: string | null
  started_at: number
  finished_at: number
  total: number
  synced: number
  failed: number
}

interface ItemRow {
  record_kind: RecordKind
  record_id: string
  label: string
  code: string
  message: string
  provider_message: string | null
  correlation_id: string | null
  at: number
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')
const iso = (ms: number) => new Date(ms).toISOString()
const DAY_MS = 86_400_000

/** Records as a bookkeeper knows them: an invoice or credit note by number, a customer by name. */
async function labels(q: Queryable, kind: RecordKind, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const sql: Record<RecordKind, string> = {
    invoice: 'SELECT id, number AS label FROM invoices',
    credit_note: 'SELECT id, number AS label FROM credit_notes',
    customer: 'SELECT id, name AS label FROM customers',
    payment: `SELECT p.id, p.amount_minor, p.currency, i.number FROM payments p JOIN invoices i ON i.id = p.invoice_id`,
  }
  const rows = await q.all<{
    id: string
    label?: string
    amount_minor?: number
    currency?: string
    number?: string
  }>(`${sql[kind]} WHERE ${kind === 'payment' ? 'p.id' : 'id'} IN (${marks(ids.length)})`, ids)
  return new Map(
    rows.map((r) => [
      r.id,
      kind === 'payment'
        ? `${formatMinor(r.amount_minor!, r.currency!)} ${r.currency} on ${r.number}`
        : r.label!,
    ]),
  )
}

const statusOf = (r: { synced: number; failed: number }) =>
  r.failed === 0 ? 'succeeded' : r.synced === 0 ? 'failed' : 'partial'

function toRun(r: HistoryRow): HistoryRun {
  return {
    id: r.id,
    recordKind: r.record_kind,
    trigger: r.trigger,
    event: r.event,
    startedBy: r.started_by,
    retryOf: r.retry_of,
    bulkRunId: r.run_id,
    provider: r.provider,
    organisation: r.organisation_name,
    status: statusOf(r),
    total: r.total,
    synced: r.synced,
    failed: r.failed,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    durationMs: Math.max(0, r.finished_at - r.started_at),
  }
}

/** The record kind a sync job pushes, from its kind; null for jobs that are not sync work. */
export const PUSH_KINDS: Readonly<Record<string, RecordKind>> = {
  push_invoices: 'invoice',
  push_customers: 'customer',
  push_payments: 'payment',
  push_credit_notes: 'credit_note',
}

export function createHistory(deps: { db: Db; now: () => number }) {
  const { db, now } = deps

  /**
   * The run of a sync job that settled: in the settling transaction. Its records failed when they
   * carry a final error at their current version, or (a job that failed as a whole) when they are
   * not synced at it: then the job's own error is theirs.
   */
  async function settled(tx: Queryable, job: Job) {
    const kind = PUSH_KINDS[job.kind]
    if (!kind || !job.connectionId) return
    const conn = await tx.get<{ provider: ProviderId; organisation_name: string }>(
      'SELECT provider, organisation_name FROM connections WHERE id = ?',
      [job.connectionId],
    )
    if (!conn) return
    const ids = (
      await tx.all<{ record_id: string }>(
        'SELECT record_id FROM job_records WHERE job_id = ? AND record_kind = ?',
        [job.id, kind],
      )
    ).map((r) => r.record_id)
    if (ids.length === 0) return
    const states = await syncStates(tx, job.tenantId, kind, ids)
    const at = now()
    const failed: ItemRow[] = []
    const names = await labels(tx, kind, ids)
    // The state says it all: a record's own final error, or (settled in this transaction) the
    // failure of the whole job, for a record not changed or synced since.
    for (const id of ids) {
      const error = states.get(id)?.state === 'error' ? states.get(id)!.error : null
      if (error)
        failed.push({
          record_kind: kind,
          record_id: id,
          label: names.get(id) ?? id,
          code: error.code,
          message: error.message,
          provider_message: error.providerMessage,
          correlation_id: error.correlationId,
          at: Date.parse(error.at),
        })
    }
    const trigger = (job.payload as { trigger?: Trigger } | null)?.trigger ?? { kind: 'system' }
    const runId = job.runId
    const id = runId ?? newId('hst', at)
    let startedAt = job.createdAt
    if (runId) {
      const run = await tx.get<{ at: number; kind: BulkKind }>(
        'SELECT created_at AS at, kind FROM sync_runs WHERE id = ?',
        [runId],
      )
      // An invoice run's customer jobs prepare its invoices: the run's records are its invoices.
      if (run && recordKindOf(run.kind) !== kind) return
      startedAt = run?.at ?? job.createdAt
    }
    const total = ids.length
    const synced = ids.filter((i) => states.get(i)?.state === 'synced').length
    await tx.run(
      `INSERT INTO sync_history (id, tenant_id, connection_id, provider, organisation_name, record_kind, trigger, event,
         started_by, retry_of, run_id, started_at, finished_at, total, synced, failed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET finished_at = max(finished_at, excluded.finished_at),
         total = total + excluded.total, synced = synced + excluded.synced, failed = failed + excluded.failed`,
      [
        id,
        job.tenantId,
        job.connectionId,
        conn.provider,
        conn.organisation_name,
        kind,
        trigger.kind,
        trigger.kind === 'event' ? trigger.event : null,
        'by' in trigger ? trigger.by : null,
        trigger.kind === 'retry' ? trigger.retryOf : null,
        runId,
        startedAt,
        at,
        total,
        synced,
        failed.length,
      ],
    )
    for (const item of failed)
      await tx.run(
        `INSERT INTO sync_history_items (history_id, record_kind, record_id, label, code, message, provider_message, correlation_id, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (history_id, record_kind, record_id) DO UPDATE SET
           code = excluded.code, message = excluded.message, provider_message = excluded.provider_message,
           correlation_id = excluded.correlation_id, at = excluded.at`,
        [
          id,
          item.record_kind,
          item.record_id,
          item.label,
          item.code,
          item.message,
          item.provider_message,
          item.correlation_id,
          item.at,
        ],
      )
  }

  async function runRow(tenantId: string, id: string) {
    const row = await db.get<HistoryRow>('SELECT * FROM sync_history WHERE id = ? AND tenant_id = ?', [
      id,
      tenantId,
    ])
    if (!row) throw new AppError('not_found', { message: 'No such sync in the history.' })
    return row
  }

  /** The run's failed records, each with where it stands now. */
  async function items(tenantId: string, row: HistoryRow): Promise<HistoryItem[]> {
    const rows = await db.all<ItemRow>(
      'SELECT * FROM sync_history_items WHERE history_id = ? ORDER BY at, record_id',
      [row.id],
    )
    const now = await syncStates(
      db,
      tenantId,
      row.record_kind,
      rows.map((r) => r.record_id),
    )
    return rows.map((r) => {
      const code = (r.code in ERRORS ? r.code : 'provider_error') as ErrorCode
      return {
        recordKind: r.record_kind,
        recordId: r.record_id,
        label: r.label,
        code,
        message: r.message,
        action: ERRORS[code].action,
        providerMessage: r.provider_message,
        correlationId: r.correlation_id,
        at: iso(r.at),
        // A record deleted since has no state: it is not synced.
        now: now.get(r.record_id)?.state ?? 'not_synced',
      }
    })
  }

  return {
    settled,

    /** Newest first, filtered; the cursor is the last run's finish time and id. */
    async list(
      tenantId: string,
      query: {
        limit: number
        cursor?: string | undefined
        status?: HistoryRun['status'] | undefined
        kind?: RecordKind | undefined
        from?: string | undefined
        to?: string | undefined
        q?: string | undefined
      },
    ) {
      const where = ['h.tenant_id = ?']
      const args: (string | number)[] = [tenantId]
      if (query.kind) {
        where.push('h.record_kind = ?')
        args.push(query.kind)
      }
      if (query.status === 'succeeded') where.push('h.failed = 0')
      if (query.status === 'failed') where.push('h.failed > 0 AND h.synced = 0')
      if (query.status === 'partial') where.push('h.failed > 0 AND h.synced > 0')
      if (query.from) {
        where.push('h.finished_at >= ?')
        args.push(Date.parse(`${query.from}T00:00:00Z`))
      }
      if (query.to) {
        where.push('h.finished_at < ?')
        args.push(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS)
      }
      if (query.q) {
        const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
        where.push(`(h.organisation_name LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM sync_history_items i WHERE i.history_id = h.id
          AND (i.label LIKE ? ESCAPE '\\' OR i.message LIKE ? ESCAPE '\\' OR i.code LIKE ? ESCAPE '\\' OR i.record_id = ?)))`)
        args.push(like, like, like, like, query.q)
      }
      if (query.cursor) {
        const [at, id] = Buffer.from(query.cursor, 'base64url').toString().split('.')
        if (!at || !id || !/^\d+$/.test(at))
          throw new AppError('validation_failed', {
            details: [{ path: 'cursor', message: 'Not a cursor of this list' }],
          })
        where.push('(h.finished_at < ? OR (h.finished_at = ? AND h.id < ?))')
        args.push(Number(at), Number(at), id)
      }
      const rows = await db.all<HistoryRow>(
        `SELECT h.* FROM sync_history h WHERE ${where.join(' AND ')}
         ORDER BY h.finished_at DESC, h.id DESC LIMIT ?`,
        [...args, query.limit + 1],
      )
      const page = rows.slice(0, query.limit)
      const last = page.at(-1)
      const nextCursor =
        rows.length > query.limit && last
          ? Buffer.from(`${last.finished_at}.${last.id}`).toString('base64url')
          : null
      return { data: page.map(toRun), nextCursor }
    },

    async get(tenantId: string, id: string): Promise<HistoryRunDetail> {
      const row = await runRow(tenantId, id)
      return { ...toRun(row), items: await items(tenantId, row) }
    },

    /** The run's failed records that are still not synced (what a retry of the run queues). */
    async stillFailing(tenantId: string, id: string, only?: { kind: RecordKind; recordId: string }) {
      const row = await runRow(tenantId, id)
      const all = await items(tenantId, row)
      const wanted = only
        ? all.filter((i) => i.recordKind === only.kind && i.recordId === only.recordId)
        : all
      if (only && wanted.length === 0)
        throw new AppError('not_found', { message: 'That record did not fail in this sync.' })
      return { kind: row.record_kind, ids: wanted.filter((i) => i.now !== 'synced').map((i) => i.recordId) }
    },
  }
}

export type History = ReturnType<typeof createHistory>

/** Forgets runs older than each tenant's retention (its items with them). */
export async function pruneHistory(db: Db, now: number): Promise<number> {
  const result = await db.run(
    `DELETE FROM sync_history WHERE finished_at < ? - ? * coalesce(
       (SELECT history_days FROM tenant_settings s WHERE s.tenant_id = sync_history.tenant_id), ?)`,
    [now, DAY_MS, HISTORY_DAYS_DEFAULT],
  )
  return result.changes
}
