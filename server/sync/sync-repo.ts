import type { Queryable } from '../db/client.ts'
import { formatMinor } from '../../shared/money.ts'
import { emitEvent, type EventType } from '../events/log.ts'

/**
 * The sync's own tables (migration 0010): links between local and provider records, the last
 * failure of a record, the admin's mappings and the cached chart. Plain reads and writes; the
 * engine decides when.
 */
import type { RecordKind } from '../records/kinds.ts'
export type { RecordKind }

export interface LinkRow {
  connection_id: string
  record_kind: RecordKind
  record_id: string
  provider_id: string
  provider_version: string | null
  provider_url: string | null
  line_ids: string | null
  synced_version: number
  synced_at: number
}

export interface SyncErrorBody {
  code: string
  message: string
  /** The provider's own words and its id for the failed call, for support. */
  providerMessage: string | null
  correlationId: string | null
  /** False while the engine will try again by itself. */
  final: boolean
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

/** How an event's data names the record. */
const ID_FIELD: Record<RecordKind, string> = {
  invoice: 'invoiceId',
  credit_note: 'creditNoteId',
  customer: 'customerId',
  payment: 'paymentId',
}

/** The event a link tells: the record synced (a payment recorded there, or removed there). */
async function syncedEvent(q: Queryable, row: Omit<LinkRow, 'synced_at'>, at: number) {
  const ref = { providerId: row.provider_id, url: row.provider_url, version: row.synced_version }
  const subject = { kind: row.record_kind, id: row.record_id }
  if (row.record_kind !== 'payment') {
    const type: EventType = `${row.record_kind}.synced`
    return emitEvent(
      q,
      { connectionId: row.connection_id },
      type,
      subject,
      { [ID_FIELD[row.record_kind]]: row.record_id, ...ref },
      at,
    )
  }
  const p = await q.get<{
    invoice_id: string
    amount_minor: number
    currency: string
    removed_at: number | null
  }>('SELECT invoice_id, amount_minor, currency, removed_at FROM payments WHERE id = ?', [row.record_id])
  if (!p) return
  await emitEvent(
    q,
    { connectionId: row.connection_id },
    p.removed_at === null ? 'payment.recorded' : 'payment.removed',
    subject,
    {
      paymentId: row.record_id,
      invoiceId: p.invoice_id,
      amount: formatMinor(p.amount_minor, p.currency),
      currency: p.currency,
      direction: 'to_provider',
      ...ref,
    },
    at,
  )
}

/** The link of one of our payments to the provider's, synced at `version` (0: still to remove there). */
export const paymentLink = (
  connectionId: string,
  paymentId: string,
  there: { id: string; version?: string | null | undefined; url?: string | null | undefined },
  version: number,
): Omit<LinkRow, 'synced_at'> => ({
  connection_id: connectionId,
  record_kind: 'payment',
  record_id: paymentId,
  provider_id: there.id,
  provider_version: there.version ?? null,
  provider_url: there.url ?? null,
  line_ids: null,
  synced_version: version,
})

export const syncRepo = {
  async links(q: Queryable, connectionId: string, kind: RecordKind, ids: readonly string[]) {
    if (ids.length === 0) return new Map<string, LinkRow>()
    const rows = await q.all<LinkRow>(
      `SELECT * FROM sync_links WHERE connection_id = ? AND record_kind = ? AND record_id IN (${marks(ids.length)})`,
      [connectionId, kind, ...ids],
    )
    return new Map(rows.map((r) => [r.record_id, r]))
  },

  /**
   * Records the link and clears the record's last failure: one row per record, and per provider
   * record. Tells the host (the event log) the record is synced, unless `quiet` (a writer that
   * tells it in its own words: payments brought back from the provider).
   */
  async link(q: Queryable, row: Omit<LinkRow, 'synced_at'>, at: number, options: { quiet?: boolean } = {}) {
    await q.run(
      `INSERT INTO sync_links (connection_id, record_kind, record_id, provider_id, provider_version, provider_url, line_ids, synced_version, synced_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, record_kind, record_id) DO UPDATE SET
         provider_id = excluded.provider_id, provider_version = excluded.provider_version,
         provider_url = excluded.provider_url, line_ids = excluded.line_ids,
         synced_version = max(synced_version, excluded.synced_version), synced_at = excluded.synced_at`,
      [
        row.connection_id,
        row.record_kind,
        row.record_id,
        row.provider_id,
        row.provider_version,
        row.provider_url,
        row.line_ids,
        row.synced_version,
        at,
      ],
    )
    await q.run(
      'DELETE FROM sync_errors WHERE connection_id = ? AND record_kind = ? AND record_id = ? AND record_version <= ?',
      [row.connection_id, row.record_kind, row.record_id, row.synced_version],
    )
    // Version 0: found at the provider but still to be removed there, not synced yet.
    if (!options.quiet && row.synced_version > 0) await syncedEvent(q, row, at)
  },

  async fail(
    q: Queryable,
    connectionId: string,
    kind: RecordKind,
    id: string,
    version: number,
    error: SyncErrorBody,
    at: number,
  ) {
    await q.run(
      `INSERT INTO sync_errors (connection_id, record_kind, record_id, record_version, error, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, record_kind, record_id) DO UPDATE SET
         record_version = excluded.record_version, error = excluded.error, at = excluded.at`,
      [connectionId, kind, id, version, JSON.stringify(error), at],
    )
    // Only a failure the engine will not retry by itself needs the host.
    if (error.final)
      await emitEvent(
        q,
        { connectionId },
        `${kind}.sync_failed`,
        { kind, id },
        { [ID_FIELD[kind]]: id, version, error },
        at,
      )
  },

  async mappings(q: Queryable, connectionId: string) {
    const rows = await q.all<{ kind: string; key: string; provider_ref: string; label: string }>(
      'SELECT kind, key, provider_ref, label FROM sync_mappings WHERE connection_id = ?',
      [connectionId],
    )
    return new Map(rows.map((r) => [`${r.kind}:${r.key}`, r]))
  },

  async setMapping(
    q: Queryable,
    m: { connectionId: string; kind: string; key: string; providerRef: string; label: string; by: string },
    at: number,
  ) {
    await q.run(
      `INSERT INTO sync_mappings (connection_id, kind, key, provider_ref, label, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, kind, key) DO UPDATE SET provider_ref = excluded.provider_ref, label = excluded.label,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [m.connectionId, m.kind, m.key, m.providerRef, m.label, m.by, at],
    )
  },

  async clearMapping(q: Queryable, connectionId: string, kind: string, key: string) {
    await q.run('DELETE FROM sync_mappings WHERE connection_id = ? AND kind = ? AND key = ?', [
      connectionId,
      kind,
      key,
    ])
  },

  async cachedChart<T>(
    q: Queryable,
    connectionId: string,
    part: string,
  ): Promise<{ body: T; fetchedAt: number } | null> {
    const row = await q.get<{ body: string; fetched_at: number }>(
      'SELECT body, fetched_at FROM sync_chart_cache WHERE connection_id = ? AND part = ?',
      [connectionId, part],
    )
    return row ? { body: JSON.parse(row.body) as T, fetchedAt: row.fetched_at } : null
  },

  async cacheChart(q: Queryable, connectionId: string, part: string, body: unknown, at: number) {
    await q.run(
      `INSERT INTO sync_chart_cache (connection_id, part, body, fetched_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (connection_id, part) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`,
      [connectionId, part, JSON.stringify(body), at],
    )
  },

  /** A page of the organisation's customers as last read for a host's import (its age with it). */
  async cachedContactPage<T>(
    q: Queryable,
    connectionId: string,
    page: number,
  ): Promise<{ body: T; fetchedAt: number } | null> {
    const row = await q.get<{ body: string; fetched_at: number }>(
      'SELECT body, fetched_at FROM sync_contact_pages WHERE connection_id = ? AND page = ?',
      [connectionId, page],
    )
    return row ? { body: JSON.parse(row.body) as T, fetchedAt: row.fetched_at } : null
  },

  async cacheContactPage(q: Queryable, connectionId: string, page: number, body: unknown, at: number) {
    await q.run(
      `INSERT INTO sync_contact_pages (connection_id, page, body, fetched_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (connection_id, page) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`,
      [connectionId, page, JSON.stringify(body), at],
    )
  },

  /** Forgets every kept page (a refresh: what the host reads next is read anew). */
  async forgetContactPages(q: Queryable, connectionId: string) {
    await q.run('DELETE FROM sync_contact_pages WHERE connection_id = ?', [connectionId])
  },
}
