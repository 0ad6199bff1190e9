import type { ConnectionStatus } from '../../shared/api/connections.ts'
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
  invoice: 'SELECT id, push_version AS version, updated_at FROM invoices',
  customer: 'SELECT id, version, updated_at FROM customers',
  credit_note: 'SELECT id, version, updated_at FROM credit_notes',
  payment: 'SELECT id, version, updated_at FROM payments',
}

/** A job that failed as a whole (the connection expired, say): its error is its records', unless cancelled. */
function jobFailure(
  lastError: string | null,
): { code: ErrorCode; message: string; raw: string | null; correlationId: string | null } | null {
  const e = lastError
    ? (JSON.parse(lastError) as { code?: string; message?: string; correlationId?: string | null })
    : null
  if (!e?.code || e.code === 'cancelled') return null
  const code = (e.code in ERRORS ? e.code : 'provider_error') as ErrorCode
  // The bookkeeper's words for the code; the job's own (often the provider's) for support.
  return {
    code,
    message: ERRORS[code].message,
    raw: e.message ?? null,
    correlationId: e.correlationId ?? null,
  }
}

export async function syncStates(
  q: Queryable,
  tenantId: string,
  kind: RecordKind,
  wanted: readonly string[],
): Promise<Map<string, SyncState>> {
  if (wanted.length === 0) return new Map()
  return (await readSyncStates(q, tenantId, kind, wanted)).states
}

/** The connection records go to, as the badges show it (a link to it, Reconnect when it expired). */
export type StatusConnection = { provider: ProviderId; status: ConnectionStatus } | null

/** Sync states (as `syncStates`) with the connection they are of, read once for both. */
export async function readSyncStates(
  q: Queryable,
  tenantId: string,
  kind: RecordKind,
  wanted: readonly string[],
): Promise<{ connection: StatusConnection; states: Map<string, SyncState> }> {
  const out = new Map<string, SyncState>()
  const records =
    wanted.length === 0
      ? []
      : await q.all<{ id: string; version: number; updated_at: number }>(
          `${VERSIONS[kind]} WHERE tenant_id = ? AND id IN (${marks(wanted.length)})`,
          [tenantId, ...wanted],
        )
  const connection = await q.get<{ id: string; provider: ProviderId; status: ConnectionStatus }>(
    "SELECT id, provider, status FROM connections WHERE tenant_id = ? AND status <> 'disconnected'",
    [tenantId],
  )
  const current = connection ? { provider: connection.provider, status: connection.status } : null
  if (records.length === 0) return { connection: current, states: out }
  const ids = records.map((r) => r.id)
  // Queued or running work makes a record pending; the last job of it that failed as a whole
  // (after its attempts: the connection expired, the provider kept failing) says why it is not synced.
  const pending = new Set<string>()
  const failedJobs = new Map<string, { at: number; error: NonNullable<ReturnType<typeof jobFailure>> }>()
  for (const j of await q.all<{
    record_id: string
    state: string
    last_error: string | null
    finished_at: number | null
  }>(
    `SELECT r.record_id, j.state, j.last_error, j.finished_at FROM job_records r JOIN jobs j ON j.id = r.job_id
     WHERE r.record_kind = ? AND r.record_id IN (${marks(ids.length)}) AND j.state IN ('queued', 'running', 'failed') AND j.tenant_id = ?`,
    [kind, ...ids, tenantId],
  )) {
    if (j.state !== 'failed') pending.add(j.record_id)
    else {
      const error = jobFailure(j.last_error)
      const at = j.finished_at ?? 0
      if (error && at >= (failedJobs.get(j.record_id)?.at ?? -1)) failedJobs.set(j.record_id, { at, error })
    }
  }
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
    const synced = link !== undefined && link.synced_version >= record.version
    const ownError = failure && body?.final && failure.record_version >= record.version
    // A whole job's failure counts for a record not changed since and not synced since.
    const failedJob = failedJobs.get(record.id)
    const jobError = !ownError && !synced && failedJob && failedJob.at >= record.updated_at ? failedJob : null
    const state: SyncState['state'] = pending.has(record.id)
      ? 'pending'
      : ownError || jobError
        ? 'error'
        : link
          ? synced
            ? 'synced'
            : 'outdated'
          : 'not_synced'
    out.set(record.id, {
      state,
      provider: connection?.provider ?? null,
      providerId: link?.provider_id ?? null,
      url: link?.provider_url ?? null,
      syncedAt: link ? new Date(link.synced_at).toISOString() : null,
      error: jobError
        ? {
            code: jobError.error.code,
            message: jobError.error.message,
            action: ERRORS[jobError.error.code].action,
            providerMessage: jobError.error.raw,
            correlationId: jobError.error.correlationId,
            at: new Date(jobError.at).toISOString(),
          }
        : state === 'error' || state === 'pending'
          ? error
          : null,
    })
  }
  return { connection: current, states: out }
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
