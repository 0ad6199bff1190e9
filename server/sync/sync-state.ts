import type { ProviderId } from '../../shared/providers.ts'
import { ERRORS, type ErrorCode } from '../../shared/errors.ts'
import type { SyncState } from '../../shared/sync-state.ts'
import type { Queryable } from '../db/client.ts'
import type { RecordKind, SyncErrorBody } from './sync-repo.ts'

/**
 * Sync states of many records in five indexed reads, however many records: their versions, the
 * current connection, the links, the last errors and the queued work. The state is derived, never
 * stored: a link at the record's version is `synced`, at an older one `outdated`; a final error for
 * this version is `error`; queued or running work is `pending`. An invoice's version here is its
 * push version: a payment moves its answer, not what is posted of it. Ids of another tenant, or
 * of no record, have no state.
 */
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

const VERSIONS: Record<RecordKind, string> = {
  invoice: 'SELECT id, push_version AS version FROM invoices',
  customer: 'SELECT id, version FROM customers',
  credit_note: 'SELECT id, version FROM credit_notes',
  payment: 'SELECT id, version FROM payments',
}

export async function syncStates(
  q: Queryable,
  tenantId: string,
  kind: RecordKind,
  wanted: readonly string[],
): Promise<Map<string, SyncState>> {
  const out = new Map<string, SyncState>()
  if (wanted.length === 0) return out
  const records = await q.all<{ id: string; version: number }>(
    `${VERSIONS[kind]} WHERE tenant_id = ? AND id IN (${marks(wanted.length)})`,
    [tenantId, ...wanted],
  )
  if (records.length === 0) return out
  const ids = records.map((r) => r.id)
  const connection = await q.get<{ id: string; provider: ProviderId }>(
    "SELECT id, provider FROM connections WHERE tenant_id = ? AND status <> 'disconnected'",
    [tenantId],
  )
  const pending = new Set(
    (
      await q.all<{ record_id: string }>(
        `SELECT DISTINCT r.record_id FROM job_records r JOIN jobs j ON j.id = r.job_id
         WHERE r.record_kind = ? AND r.record_id IN (${marks(ids.length)}) AND j.state IN ('queued', 'running') AND j.tenant_id = ?`,
        [kind, ...ids, tenantId],
      )
    ).map((r) => r.record_id),
  )
  const links = new Map<
    string,
    { provider_id: string; provider_url: string | null; synced_version: number; synced_at: number }
  >()
  const errors = new Map<string, { record_version: number; error: string; at: number }>()
  if (connection) {
    const args = [connection.id, kind, ...ids]
    for (const l of await q.all<{
      record_id: string
      provider_id: string
      provider_url: string | null
      synced_version: number
      synced_at: number
    }>(
      `SELECT record_id, provider_id, provider_url, synced_version, synced_at FROM sync_links
       WHERE connection_id = ? AND record_kind = ? AND record_id IN (${marks(ids.length)})`,
      args,
    ))
      links.set(l.record_id, l)
    for (const e of await q.all<{ record_id: string; record_version: number; error: string; at: number }>(
      `SELECT record_id, record_version, error, at FROM sync_errors
       WHERE connection_id = ? AND record_kind = ? AND record_id IN (${marks(ids.length)})`,
      args,
    ))
      errors.set(e.record_id, e)
  }
  for (const record of records) {
    const link = links.get(record.id)
    const failure = errors.get(record.id)
    const body = failure ? (JSON.parse(failure.error) as SyncErrorBody) : null
    const error =
      failure && body
        ? {
            code: body.code as ErrorCode,
            message: body.message,
            action: ERRORS[body.code as ErrorCode]?.action ?? ERRORS.provider_error.action,
            providerMessage: body.providerMessage,
            correlationId: body.correlationId,
            at: new Date(failure.at).toISOString(),
          }
        : null
    const state: SyncState['state'] = pending.has(record.id)
      ? 'pending'
      : failure && body?.final && failure.record_version >= record.version
        ? 'error'
        : link
          ? link.synced_version >= record.version
            ? 'synced'
            : 'outdated'
          : 'not_synced'
    out.set(record.id, {
      state,
      provider: connection?.provider ?? null,
      providerId: link?.provider_id ?? null,
      url: link?.provider_url ?? null,
      syncedAt: link ? new Date(link.synced_at).toISOString() : null,
      error: state === 'error' || state === 'pending' ? error : null,
    })
  }
  return out
}

/**
 * Records with their sync state, as the host API answers them: a whole page costs the same few
 * reads as one record.
 */
export async function withSyncStates<T extends { id: string }>(
  q: Queryable,
  tenantId: string,
  kind: RecordKind,
  records: readonly T[],
): Promise<(T & { sync: SyncState })[]> {
  const states = await syncStates(
    q,
    tenantId,
    kind,
    records.map((r) => r.id),
  )
  return records.map((r) => ({ ...r, sync: states.get(r.id)! }))
}
