import type { ProviderId } from '../../shared/providers.ts'
import type { ProviderLookup } from '../connections/service.ts'
import type { ConnectionRow } from '../connections/token-store.ts'
import type { Db, Queryable } from '../db/client.ts'
import type { Logger } from '../logging/logger.ts'
import type { ProviderAdapter } from '../providers/provider.ts'
import { activeConnectionOf } from './active-connection.ts'
import type { ProviderCalls } from './provider-calls.ts'
import { eventDigest, type IncomingEvent, type ProviderEvents } from './provider-events.ts'
import type { Queue } from './queue.ts'
import type { JobHandler } from './worker.ts'

export const POLL_JOB = 'poll_changes'
export const RECONCILE_JOB = 'reconcile_payments'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** The part of a provider's daily call budget the light passes may spend (the benchmark's bound is 0.1 in all). */
const LIGHT_SHARE_OF_DAY = 0.05
/** Never more often than this, whatever the budget allows. */
const LIGHT_MIN_MS = 5 * MINUTE
/**
 * Where the provider's webhooks reach us, the light pass is only their backstop: hourly, as
 * Intuit asks of Change Data Capture (QB-P13) and Xero of polling beside webhooks (XR-R06).
 */
const LIGHT_WITH_WEBHOOKS_MS = HOUR
/** Background reads take room only while the windows are at most half used: pushes come first. */
const POLL_SHARE = 0.5
/** How far before the connection the first light pass reads. */
const FIRST_PASS_MARGIN_MS = HOUR
/** Invoices one job of the daily reconciliation names (their events are applied in batches). */
const RECONCILE_PAGE = 500
/**
 * The part of the daily call budget the reconciliation may spend: a walk over more open invoices
 * than that allows goes on the next day from where it stopped (Sage reads each invoice).
 */
const RECONCILE_SHARE_OF_DAY = 0.04

type Pass = 'light' | 'daily'

interface CursorRow {
  cursor: string | null
  finished_at: number | null
}

/**
 * The polling backstop: a light pass per active connection reads what changed at the provider
 * since its cursor (the adapter's change feed) and stores each change as a provider event, so a
 * change a webhook missed is applied the same way, once; a daily reconciliation names every
 * linked invoice still open here, so payments a change feed does not show (Xero does not bump
 * every change's UpdatedDateUTC) are caught too. Both are jobs of the durable queue, queued when
 * due by a periodic sweep, deduplicated per connection, resuming from stored cursors after a
 * crash, and their reads take only a share of the provider's limits. How often the light pass
 * runs comes from the provider's daily budget and whether its webhooks reach us.
 */
export function createPolling(deps: {
  db: Db
  queue: Queue
  providers: ProviderLookup
  calls: ProviderCalls
  events: ProviderEvents
  log: Logger
  now: () => number
  /** Whether this provider's webhooks are set up to reach this server. */
  webhooks: (provider: ProviderId) => boolean
}) {
  const { db, queue, now } = deps

  /** How long after one light pass the next is due, for this provider. */
  function lightEveryMs(adapter: ProviderAdapter): number {
    const calls = adapter.sync?.changes?.callsPerPass ?? 1
    const { perDay } = adapter.facts.limits
    const byBudget = perDay === null ? LIGHT_MIN_MS : (DAY * calls) / (LIGHT_SHARE_OF_DAY * perDay)
    const floor = adapter.facts.webhooks && deps.webhooks(adapter.id) ? LIGHT_WITH_WEBHOOKS_MS : LIGHT_MIN_MS
    return Math.max(floor, byBudget)
  }
  const everyMs = (adapter: ProviderAdapter, pass: Pass) => (pass === 'light' ? lightEveryMs(adapter) : DAY)

  const cursorOf = (q: Queryable, connectionId: string, pass: Pass) =>
    q.get<CursorRow>('SELECT cursor, finished_at FROM poll_cursors WHERE connection_id = ? AND pass = ?', [
      connectionId,
      pass,
    ])
  const saveCursor = (
    q: Queryable,
    connectionId: string,
    pass: Pass,
    cursor: string | null,
    finished: boolean,
  ) =>
    q.run(
      `INSERT INTO poll_cursors (connection_id, pass, cursor, started_at, finished_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, pass) DO UPDATE SET cursor = excluded.cursor,
         finished_at = coalesce(excluded.finished_at, finished_at)`,
      [connectionId, pass, cursor, now(), finished ? now() : null],
    )

  const jobOf = (pass: Pass) => (pass === 'light' ? POLL_JOB : RECONCILE_JOB)
  /** One job per pass and connection queued at a time; `left`: the rest of a day's walk. */
  const enqueue = (q: Queryable, conn: { id: string; tenant_id: string }, pass: Pass, left?: number) =>
    queue.enqueue(q, {
      kind: jobOf(pass),
      tenantId: conn.tenant_id,
      connectionId: conn.id,
      payload: { connectionId: conn.id, ...(left === undefined ? {} : { left }) },
      dedupeKey: `${jobOf(pass)}:${conn.id}`,
    })

  /** The adapter's feed, or null where the provider has none yet. */
  function feedOf(provider: ProviderId) {
    const adapter = deps.providers.get(provider)
    const changes = adapter?.sync?.changes
    return adapter && changes ? { adapter, changes } : null
  }

  const light: JobHandler = async (ctx) => {
    const conn = await activeConnectionOf(db, ctx.job.connectionId!)
    const feed = feedOf(conn.provider)
    if (!feed) return ctx.finish(async () => {})
    const row = await cursorOf(db, conn.id, 'light')
    // The first pass reads from a while before the connection was made: our clock may run ahead of
    // the provider's, and what it finds twice is one event.
    const from = new Date(conn.connected_at - FIRST_PASS_MARGIN_MS).toISOString()
    const { changes, cursor } = await deps.calls.call(
      conn,
      feed.adapter,
      (auth) => feed.changes.since(auth, row?.cursor ?? null, from),
      { share: POLL_SHARE },
    )
    const events: IncomingEvent[] = changes.map((c) => ({
      eventId: eventDigest(['poll', c.entity, c.id, c.changedAt, c.deleted]),
      organisationId: conn.organisation_id,
      entity: c.entity,
      resourceId: c.id,
      operation: c.deleted ? 'deleted' : 'changed',
      occurredAt: Date.parse(c.changedAt) || null,
    }))
    if (events.length) await deps.events.found(conn.provider, events)
    await ctx.finish((tx) =>
      saveCursor(tx, conn.id, 'light', cursor ?? row?.cursor ?? null, true).then(() => {}),
    )
    if (events.length)
      deps.log.debug('polling pass found changes', { connectionId: conn.id, changes: events.length })
  }

  /** How many invoices a day's reconciliation may name, within its share of the daily budget. */
  function reconcilePerDay(adapter: ProviderAdapter): number {
    const { perDay } = adapter.facts.limits
    const per = adapter.sync?.payments.invoicesPerLookup ?? 1
    return perDay === null ? Number.POSITIVE_INFINITY : Math.floor(RECONCILE_SHARE_OF_DAY * perDay * per)
  }

  /**
   * One page of the day's walk over the connection's linked invoices still open here, from where
   * the last one stopped; the next page is queued while the day's allowance lasts.
   */
  const daily: JobHandler = async (ctx) => {
    const conn = await activeConnectionOf(db, ctx.job.connectionId!)
    const adapter = deps.providers.get(conn.provider)
    if (!adapter) return ctx.finish(async () => {})
    const left = (ctx.job.payload as { left?: number }).left ?? reconcilePerDay(adapter)
    const row = await cursorOf(db, conn.id, 'daily')
    const after = row?.cursor ?? ''
    const page = await db.all<{ provider_id: string; record_id: string }>(
      `SELECT l.provider_id, l.record_id FROM sync_links l JOIN invoices i ON i.id = l.record_id
        WHERE l.connection_id = ? AND l.record_kind = 'invoice' AND l.record_id > ?
          AND i.status IN ('sent', 'paid')
        ORDER BY l.record_id LIMIT ?`,
      [conn.id, after, Math.min(RECONCILE_PAGE, left)],
    )
    const day = Math.floor(now() / DAY)
    if (page.length)
      await deps.events.found(
        conn.provider,
        page.map((p) => ({
          eventId: eventDigest(['reconcile', day, p.provider_id]),
          organisationId: conn.organisation_id,
          entity: 'invoice' as const,
          resourceId: p.provider_id,
          operation: 'reconcile',
          occurredAt: null,
        })),
      )
    // The walk's end starts the next from the first invoice; the day's allowance spent, it goes on tomorrow.
    const walked = page.length < Math.min(RECONCILE_PAGE, left)
    const more = !walked && left - page.length > 0
    await ctx.finish(async (tx) => {
      await saveCursor(tx, conn.id, 'daily', walked ? null : page.at(-1)!.record_id, !more)
      if (more) await enqueue(tx, conn, 'daily', left - page.length)
    })
    if (more) queue.notify()
  }

  return {
    handlers: { [POLL_JOB]: light, [RECONCILE_JOB]: daily },
    lightEveryMs,
    reconcilePerDay,

    /**
     * Queues each active connection's passes that are due (the periodic sweep): one per pass and
     * connection, queued or running, at most. Answers how many it queued.
     */
    async enqueueDue(): Promise<number> {
      const conns = await db.all<Pick<ConnectionRow, 'id' | 'tenant_id' | 'provider'>>(
        "SELECT id, tenant_id, provider FROM connections WHERE status = 'active'",
      )
      let queued = 0
      for (const conn of conns) {
        const feed = feedOf(conn.provider)
        if (!feed) continue
        for (const pass of ['light', 'daily'] as const) {
          const row = await cursorOf(db, conn.id, pass)
          // The daily walk of a new connection waits a day: what it would find, the sync just wrote.
          if (!row && pass === 'daily') {
            await saveCursor(db, conn.id, 'daily', null, true)
            continue
          }
          // Due when its interval has passed since it last finished (a day's walk cut short by a
          // crash goes on by itself: its next page is a durable job).
          const due = !row || (row.finished_at ?? 0) + everyMs(feed.adapter, pass) <= now()
          if (!due) continue
          const job = await db.transaction((tx) => enqueue(tx, conn, pass))
          if (job.created) queued++
        }
      }
      if (queued) queue.notify()
      return queued
    },
  }
}

export type Polling = ReturnType<typeof createPolling>
