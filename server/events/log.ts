import type { Db, Queryable } from '../db/client.ts'
import { newId } from '../ids.ts'

/**
 * The kinds of event LedgerLink tells: the host's backend (signed webhooks) and the widget (its
 * live stream) read the same log.
 */
export const EVENT_TYPES = [
  'invoice.synced',
  'invoice.sync_failed',
  'credit_note.synced',
  'credit_note.sync_failed',
  'customer.synced',
  'customer.sync_failed',
  'payment.recorded',
  'payment.removed',
  'payment.sync_failed',
  'connection.status_changed',
  'bulk_run.finished',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

/** The record an event is about, if any: events of one record are delivered in order. */
export interface EventSubject {
  kind: 'invoice' | 'credit_note' | 'customer' | 'payment' | 'connection' | 'bulk_run'
  id: string
}

/** An event as the log keeps it and its readers see it. */
export interface AppEvent {
  /** Its place in the log: increasing, the stream's event id. */
  seq: number
  id: string
  tenantId: string
  type: EventType
  subject: EventSubject | null
  data: Record<string, unknown>
  /** Epoch ms. */
  createdAt: number
}

interface EventRow {
  seq: number
  id: string
  tenant_id: string
  type: EventType
  record_kind: EventSubject['kind'] | null
  record_id: string | null
  data: string
  created_at: number
}

const toEvent = (r: EventRow): AppEvent => ({
  seq: r.seq,
  id: r.id,
  tenantId: r.tenant_id,
  type: r.type,
  subject: r.record_kind && r.record_id ? { kind: r.record_kind, id: r.record_id } : null,
  data: JSON.parse(r.data) as Record<string, unknown>,
  createdAt: r.created_at,
})

/** How long the log keeps events: past this, a stream that reconnects starts from now. */
export const EVENT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000

/**
 * Writes an event inside the caller's transaction (the one that made the change). A writer that
 * knows only the connection names it (`{ connectionId }`): the event goes to its tenant, and its
 * data says the provider.
 */
export async function emitEvent(
  q: Queryable,
  owner: { tenantId: string } | { connectionId: string },
  type: EventType,
  subject: EventSubject | null,
  data: Record<string, unknown>,
  now: number,
): Promise<void> {
  let tenantId: string
  let body = data
  if ('tenantId' in owner) tenantId = owner.tenantId
  else {
    const conn = await q.get<{ tenant_id: string; provider: string }>(
      'SELECT tenant_id, provider FROM connections WHERE id = ?',
      [owner.connectionId],
    )
    if (!conn) return
    tenantId = conn.tenant_id
    body = { provider: conn.provider, connectionId: owner.connectionId, ...data }
  }
  await q.run(
    `INSERT INTO app_events (id, tenant_id, type, record_kind, record_id, data, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [
      newId('evt', now),
      tenantId,
      type,
      subject?.kind ?? null,
      subject?.id ?? null,
      JSON.stringify(body),
      now,
    ],
  )
}

/** Reading the log: a tenant's events after a place, the latest place, and pruning. */
export function createEventLog(deps: { db: Db; now: () => number }) {
  const { db, now } = deps
  return {
    /** A tenant's events after `seq`, oldest first, at most `limit`. */
    async after(tenantId: string, seq: number, limit = 500): Promise<AppEvent[]> {
      const rows = await db.all<EventRow>(
        'SELECT * FROM app_events WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?',
        [tenantId, seq, limit],
      )
      return rows.map(toEvent)
    },
    /** Every tenant's events after `seq` (the outbound deliveries' fan-out), oldest first. */
    async allAfter(seq: number, limit = 500): Promise<AppEvent[]> {
      const rows = await db.all<EventRow>('SELECT * FROM app_events WHERE seq > ? ORDER BY seq LIMIT ?', [
        seq,
        limit,
      ])
      return rows.map(toEvent)
    },
    async get(tenantId: string, id: string): Promise<AppEvent | null> {
      const row = await db.get<EventRow>('SELECT * FROM app_events WHERE tenant_id = ? AND id = ?', [
        tenantId,
        id,
      ])
      return row ? toEvent(row) : null
    },
    /** The newest place in the log (0 when empty). */
    async latest(): Promise<number> {
      return (await db.get<{ seq: number | null }>('SELECT max(seq) AS seq FROM app_events'))!.seq ?? 0
    },
    /** The oldest place still kept for a tenant (a reconnect from before it has lost events). */
    async oldest(tenantId: string): Promise<number | null> {
      return (
        (await db.get<{ seq: number | null }>('SELECT min(seq) AS seq FROM app_events WHERE tenant_id = ?', [
          tenantId,
        ]))!.seq ?? null
      )
    },
    /** Drops events older than the retention window. */
    async prune(): Promise<number> {
      const { changes } = await db.run('DELETE FROM app_events WHERE created_at <= ?', [
        now() - EVENT_RETENTION_MS,
      ])
      return changes
    },
  }
}

export type EventLog = ReturnType<typeof createEventLog>
