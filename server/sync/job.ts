import type { JobState } from './job-states.ts'

/** A job as the queue hands it out, its row, and what enqueueing one takes. */
export interface Job {
  id: string
  kind: string
  tenantId: string
  connectionId: string | null
  payload: unknown
  state: JobState
  attempts: number
  maxAttempts: number
  runAt: number
  leaseOwner: string | null
  leaseExpiresAt: number | null
  dedupeKey: string | null
  lockKey: string | null
  cancelRequested: boolean
  lastError: unknown
  /** Bumped by a retry after the provider answered: the job's idempotency keys derive from it. */
  keyEpoch: number
  /** The bulk run (sync_runs) this job belongs to, if any. */
  runId: string | null
  createdAt: number
  finishedAt: number | null
}

export interface JobRow {
  id: string
  kind: string
  tenant_id: string
  connection_id: string | null
  payload: string
  state: JobState
  attempts: number
  max_attempts: number
  run_at: number
  lease_owner: string | null
  lease_expires_at: number | null
  dedupe_key: string | null
  lock_key: string | null
  cancel_requested: number
  last_error: string | null
  key_epoch: number
  run_id: string | null
  created_at: number
  finished_at: number | null
}

export const toJob = (r: JobRow): Job => ({
  id: r.id,
  kind: r.kind,
  tenantId: r.tenant_id,
  connectionId: r.connection_id,
  payload: JSON.parse(r.payload),
  state: r.state,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAt: r.run_at,
  leaseOwner: r.lease_owner,
  leaseExpiresAt: r.lease_expires_at,
  dedupeKey: r.dedupe_key,
  lockKey: r.lock_key,
  cancelRequested: r.cancel_requested === 1,
  lastError: r.last_error === null ? null : JSON.parse(r.last_error),
  keyEpoch: r.key_epoch,
  runId: r.run_id,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
})

export interface NewJob {
  kind: string
  tenantId: string
  connectionId?: string | null
  payload: unknown
  runAt?: number
  maxAttempts?: number
  /** While a job with this key is queued, enqueueing again answers that job. */
  dedupeKey?: string
  /** Jobs sharing a lock key never run at the same time. */
  lockKey?: string
  /** The bulk run it is part of. */
  runId?: string
}
