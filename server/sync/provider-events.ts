import { createHash } from 'node:crypto'
import type { ProviderId } from '../../shared/providers.ts'
import type { Db, Queryable } from '../db/client.ts'
import { newId } from '../ids.ts'
import type { Logger } from '../logging/logger.ts'
import { INSTALLATION_TENANT } from '../periodic.ts'
import type { Queue } from './queue.ts'
import type { JobHandler } from './worker.ts'

/** What a provider's event is about, in our words (the receivers map their own names onto these). */
export type EventEntity = 'invoice' | 'payment' | 'credit_note' | 'contact' | 'other'

/** One event as a receiver read it from a verified delivery (or a polling pass found it). */
export interface IncomingEvent {
  /** The provider's own event id; where it has none, `eventDigest` of what the event says. */
  eventId: string
  organisationId: string
  entity: EventEntity
  resourceId: string
  /** The provider's word for what happened (UPDATE, Create, qbo.invoice.updated.v1, …), kept as it came. */
  operation: string
  occurredAt: number | null
}

/** A stored event as the processing job reads it. */
export interface StoredEvent {
  eventId: string
  entity: EventEntity
  resourceId: string
  operation: string
  occurredAt: number | null
}

/** A connection to the event's organisation: what processing needs of it. */
export interface EventConnection {
  id: string
  tenantId: string
  provider: ProviderId
  organisationId: string
}

/**
 * What the events of one organisation mean for one of its connections: the provider records they
 * name are read again (events carry ids only) and their changes applied (payments made there,
 * invoices voided). Called outside any transaction; idempotent, since a job cut short runs again.
 */
export type ApplyEvents = (
  connection: EventConnection,
  events: StoredEvent[],
) => Promise<{
  /** Events that cannot be applied yet (a push of their record is under way): kept for a later run. */
  deferred: string[]
}>

/**
 * An id for an event the provider gives none (Xero's, QuickBooks' legacy format): the same event
 * delivered again (a retry, a replay) has the same parts, so the same id.
 */
export const eventDigest = (parts: readonly (string | number | boolean | null)[]) =>
  `d_${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32)}`

export const EVENTS_JOB = 'provider_events'
/** How many events one run of the job takes; more wait for the run it queues next. */
const EVENTS_PER_RUN = 500
/** How soon deferred events are looked at again (a push under way takes about a second). */
const DEFERRED_AGAIN_MS = 2000

interface Payload {
  provider: ProviderId
  organisationId: string
}

/**
 * Provider events, stored once and processed by the durable queue: a receiver answers the provider
 * as soon as the events are committed (Xero allows 5 s, QuickBooks 3 s), and a job per
 * organisation (one at a time: its lock key) reads them and applies them to each of its
 * connections. An event for an organisation no connection knows is acknowledged, kept and marked
 * ignored, with a log line.
 */
export function createProviderEvents(deps: {
  db: Db
  queue: Queue
  log: Logger
  now: () => number
  apply: ApplyEvents
}) {
  const { db, queue, log, now } = deps

  const enqueue = (q: Queryable, payload: Payload, runAt?: number) =>
    queue.enqueue(q, {
      kind: EVENTS_JOB,
      tenantId: INSTALLATION_TENANT,
      payload,
      ...(runAt === undefined ? {} : { runAt }),
      dedupeKey: `events:${payload.provider}:${payload.organisationId}`,
      lockKey: `events:${payload.provider}:${payload.organisationId}`,
    })

  /** The connections events of this organisation are for: every active one (its tokens work). */
  const connectionsOf = (q: Queryable, provider: ProviderId, organisationId: string) =>
    q.all<{ id: string; tenant_id: string }>(
      "SELECT id, tenant_id FROM connections WHERE provider = ? AND organisation_id = ? AND status = 'active'",
      [provider, organisationId],
    )

  const known = async (q: Queryable, provider: ProviderId, organisationId: string) =>
    Boolean(
      await q.get(
        "SELECT 1 AS known FROM connections WHERE provider = ? AND organisation_id = ? AND status <> 'disconnected'",
        [provider, organisationId],
      ),
    )

  /** Each event once (a replay, a retry or a polled copy adds nothing), a job per organisation with new ones. */
  async function store(
    tx: Queryable,
    provider: ProviderId,
    deliveryId: string | null,
    events: readonly IncomingEvent[],
    at: number,
  ) {
    let stored = 0
    let unknown = 0
    const organisations = new Map<string, boolean>()
    for (const e of events) {
      let isKnown = organisations.get(e.organisationId)
      if (isKnown === undefined) {
        isKnown = await known(tx, provider, e.organisationId)
        organisations.set(e.organisationId, isKnown)
      }
      const { changes } = await tx.run(
        `INSERT INTO provider_events (provider, event_id, organisation_id, entity, resource_id, operation,
           occurred_at, received_at, delivery_id, state, note)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider, event_id) DO NOTHING`,
        [
          provider,
          e.eventId,
          e.organisationId,
          e.entity,
          e.resourceId,
          e.operation,
          e.occurredAt,
          at,
          deliveryId,
          isKnown ? 'queued' : 'ignored',
          isKnown ? null : 'No connection to this organisation',
        ],
      )
      if (changes === 0) continue
      stored++
      if (!isKnown) unknown++
    }
    for (const [organisationId, isKnown] of organisations)
      if (isKnown) await enqueue(tx, { provider, organisationId })
    return { stored, duplicates: events.length - stored, unknown }
  }

  function settled(
    provider: ProviderId,
    result: { stored: number; unknown: number },
    fields: Record<string, unknown>,
  ) {
    if (result.stored > result.unknown) queue.notify()
    if (result.unknown)
      log.warn('provider events for organisations no connection knows were acknowledged and ignored', {
        provider,
        events: result.unknown,
        ...fields,
      })
  }

  const handler: JobHandler = async (ctx) => {
    const { provider, organisationId } = ctx.job.payload as Payload
    const rows = await db.all<{
      event_id: string
      entity: EventEntity
      resource_id: string
      operation: string
      occurred_at: number | null
    }>(
      `SELECT event_id, entity, resource_id, operation, occurred_at FROM provider_events
        WHERE provider = ? AND organisation_id = ? AND state = 'queued'
        ORDER BY received_at, event_id LIMIT ?`,
      [provider, organisationId, EVENTS_PER_RUN],
    )
    if (rows.length === 0) return ctx.finish(async () => {})
    const events: StoredEvent[] = rows.map((r) => ({
      eventId: r.event_id,
      entity: r.entity,
      resourceId: r.resource_id,
      operation: r.operation,
      occurredAt: r.occurred_at,
    }))
    const connections = await connectionsOf(db, provider, organisationId)
    const deferred = new Set<string>()
    for (const c of connections) {
      const applied = await deps.apply({ id: c.id, tenantId: c.tenant_id, provider, organisationId }, events)
      for (const id of applied.deferred) deferred.add(id)
    }
    const more = rows.length === EVENTS_PER_RUN
    await ctx.finish(async (tx) => {
      const at = now()
      const note = connections.length ? null : 'No active connection to this organisation'
      for (const e of events) {
        if (deferred.has(e.eventId)) continue
        await tx.run(
          `UPDATE provider_events SET state = ?, note = ?, processed_at = ?
            WHERE provider = ? AND event_id = ? AND state = 'queued'`,
          [connections.length ? 'processed' : 'ignored', note, at, provider, e.eventId],
        )
      }
      if (more || deferred.size)
        await enqueue(tx, { provider, organisationId }, more ? at : at + DEFERRED_AGAIN_MS)
    })
    if (more) queue.notify()
  }

  return {
    handlers: { [EVENTS_JOB]: handler },

    /**
     * A verified delivery and its events, in one transaction: the delivery kept as it came, each
     * event stored once (a replay or a retry adds nothing), and a job queued for each organisation
     * with new events. Answers what was new, what was seen before, and events of organisations no
     * connection knows.
     */
    async receive(
      provider: ProviderId,
      delivery: { contentType: string | null; body: string },
      events: readonly IncomingEvent[],
    ): Promise<{ deliveryId: string; stored: number; duplicates: number; unknown: number }> {
      const at = now()
      const deliveryId = newId('whd', at)
      const result = await db.transaction(async (tx) => {
        await tx.run(
          `INSERT INTO webhook_deliveries (id, provider, received_at, content_type, body, outcome, events)
           VALUES (?, ?, ?, ?, ?, 'accepted', ?)`,
          [deliveryId, provider, at, delivery.contentType, delivery.body, events.length],
        )
        return store(tx, provider, deliveryId, events, at)
      })
      settled(provider, result, { deliveryId })
      return { deliveryId, ...result }
    },

    /**
     * Changes the polling backstop found (no delivery): stored and queued like a webhook's, so a
     * change a webhook already brought is not applied again.
     */
    async found(provider: ProviderId, events: readonly IncomingEvent[]) {
      const result = await db.transaction((tx) => store(tx, provider, null, events, now()))
      settled(provider, result, { polled: true })
      return result
    },

    /** A delivery whose signature held but whose body could not be read: kept for inspection. */
    async malformed(
      provider: ProviderId,
      delivery: { contentType: string | null; body: string },
      note: string,
    ) {
      const at = now()
      const deliveryId = newId('whd', at)
      await db.run(
        `INSERT INTO webhook_deliveries (id, provider, received_at, content_type, body, outcome, note)
         VALUES (?, ?, ?, ?, ?, 'malformed', ?)`,
        [deliveryId, provider, at, delivery.contentType, delivery.body, note],
      )
      log.warn('a signed webhook delivery could not be read; kept for inspection', {
        provider,
        deliveryId,
        note,
      })
      return { deliveryId }
    },
  }
}

export type ProviderEvents = ReturnType<typeof createProviderEvents>
