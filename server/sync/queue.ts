import type { Db, Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { newId, randomSecret } from '../ids.ts'
import { assertTransition, fromStates, type JobState } from './job-states.ts'
import { toJob, type Job, type JobRow, type NewJob } from './job.ts'

/**
 * The durable queue in libSQL, shared by every process on one database. A job is claimed by one
 * atomic UPDATE … RETURNING that takes a lease (graphile-worker's and liteque's way); a lease that
 * is not renewed by its expiry sends the job back to the queue, so a killed worker loses nothing.
 * Every state change is a compare-and-swap on (state, lease) checked against job-states.ts. The
 * lease is a token new at every claim (`owner:nonce`), so a run whose lease expired cannot finish
 * the job, even in the process that claimed it again.
 */
export type { Job, NewJob } from './job.ts'

export const DEFAULT_MAX_ATTEMPTS = 8
export const DEFAULT_LEASE_MS = 60_000

const placeholders = (states: readonly string[]) => states.map(() => '?').join(', ')

export function createQueue(deps: { db: Db; now: () => number }) {
  const { db, now } = deps
  const listeners = new Set<() => void>()
  const settleListeners = new Set<(jobId: string) => void>()
  /** Tells this process's workers that work arrived (other processes notice within a poll). */
  const notify = () => {
    for (const listener of listeners) listener()
  }

  /**
   * Moves a job `to` a state if it is still in one of the states that may move there (and, for a
   * running job, still under the lease `lease`). Answers false when someone else moved it first.
   */
  async function move(
    q: Queryable,
    id: string,
    to: JobState,
    set: Record<string, string | number | null>,
    lease?: string | null,
  ): Promise<boolean> {
    const from = fromStates(to)
    const columns = Object.keys(set)
    const sql =
      `UPDATE jobs SET state = ?, updated_at = ?${columns.map((c) => `, ${c} = ?`).join('')}
       WHERE id = ? AND state IN (${placeholders(from)})` +
      (lease === undefined ? '' : ` AND (state <> 'running' OR lease_owner = ?)`)
    const args = [to, now(), ...columns.map((c) => set[c]!), id, ...from]
    if (lease !== undefined) args.push(lease ?? '')
    return (await q.run(sql, args)).changes === 1
  }

  return {
    onEnqueue(listener: () => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    /**
     * Adds a job inside the caller's transaction (the outbox: the change and the job it causes
     * commit together). Call `notify()` once that transaction commits, or use `enqueueNow`.
     */
    async enqueue(q: Queryable, job: NewJob): Promise<{ id: string; created: boolean }> {
      if (job.dedupeKey) {
        const queued = await q.get<{ id: string }>(
          "SELECT id FROM jobs WHERE dedupe_key = ? AND state = 'queued'",
          [job.dedupeKey],
        )
        if (queued) return { id: queued.id, created: false }
      }
      const at = now()
      const id = newId('job', at)
      await q.run(
        `INSERT INTO jobs (id, kind, tenant_id, connection_id, payload, state, attempts, max_attempts, run_at,
           dedupe_key, lock_key, run_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          job.kind,
          job.tenantId,
          job.connectionId ?? null,
          JSON.stringify(job.payload ?? null),
          job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
          job.runAt ?? at,
          job.dedupeKey ?? null,
          job.lockKey ?? null,
          job.runId ?? null,
          at,
          at,
        ],
      )
      return { id, created: true }
    },

    notify,

    /**
     * Listens for jobs of this process leaving `running` (done, failed, back to the queue) or
     * cancelled: a progress stream wakes on them instead of polling for its own process's work.
     */
    onSettle(listener: (jobId: string) => void) {
      settleListeners.add(listener)
      return () => settleListeners.delete(listener)
    },

    settled(jobId: string) {
      for (const listener of settleListeners) listener(jobId)
    },

    /** Cancels every queued job of a bulk run at once; running ones finish their batch. */
    async cancelRun(q: Queryable, runId: string): Promise<string[]> {
      assertTransition('queued', 'cancelled')
      const rows = await q.all<{ id: string }>(
        `UPDATE jobs SET state = 'cancelled', finished_at = ?, updated_at = ? WHERE run_id = ? AND state = 'queued' RETURNING id`,
        [now(), now(), runId],
      )
      return rows.map((r) => r.id)
    },

    /** Enqueues in a transaction of its own and wakes this process's workers at once. */
    async enqueueNow(job: NewJob) {
      const result = await db.transaction((tx) => this.enqueue(tx, job))
      notify()
      return result
    },

    /**
     * Claims up to `limit` ready jobs for `owner` in one statement: queued, due, of the given kinds,
     * and with no running job holding the same lock key. Spends one attempt each.
     */
    async claim(owner: string, options: { limit: number; kinds: readonly string[]; leaseMs?: number }) {
      if (options.kinds.length === 0 || options.limit <= 0) return []
      assertTransition('queued', 'running')
      const at = now()
      const lease = `${owner}:${randomSecret(8)}`
      const rows = await db.all<JobRow>(
        `UPDATE jobs SET state = 'running', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1, updated_at = ?
         WHERE id IN (
           SELECT j.id FROM jobs j
           WHERE j.state = 'queued' AND j.run_at <= ? AND j.kind IN (${placeholders(options.kinds)})
             AND (j.lock_key IS NULL OR NOT EXISTS (
               SELECT 1 FROM jobs r WHERE r.state = 'running' AND r.lock_key = j.lock_key))
           ORDER BY j.run_at, j.id
           LIMIT ?)
         RETURNING *`,
        [lease, at + (options.leaseMs ?? DEFAULT_LEASE_MS), at, at, ...options.kinds, options.limit],
      )
      // Two queued jobs of one lock key may be picked by the same statement: keep the oldest.
      const seen = new Set<string>()
      const claimed: Job[] = []
      for (const row of rows.sort((a, b) => (a.id < b.id ? -1 : 1))) {
        if (row.lock_key !== null && seen.has(row.lock_key)) {
          await move(
            db,
            row.id,
            'queued',
            { lease_owner: null, lease_expires_at: null, attempts: row.attempts - 1 },
            lease,
          )
          continue
        }
        if (row.lock_key !== null) seen.add(row.lock_key)
        claimed.push(toJob(row))
      }
      return claimed
    },

    /** Extends the job's lease if it still holds; false when it was lost (stop working on the job). */
    async renew(job: Job, leaseMs = DEFAULT_LEASE_MS) {
      const result = await db.run(
        "UPDATE jobs SET lease_expires_at = ?, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?",
        [now() + leaseMs, now(), job.id, job.leaseOwner],
      )
      return result.changes === 1
    },

    /** Returns running jobs whose lease expired to the queue; the attempt they spent stays spent. */
    async recoverExpired(): Promise<number> {
      assertTransition('running', 'queued')
      const result = await db.run(
        `UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
         WHERE state = 'running' AND lease_expires_at <= ?`,
        [now(), now()],
      )
      return result.changes
    },

    /**
     * Marks a job succeeded in the caller's transaction, with the writes its work made: if the lease
     * was lost meanwhile, nothing of it commits.
     */
    async succeed(q: Queryable, job: Job) {
      const ok = await move(
        q,
        job.id,
        'succeeded',
        { lease_owner: null, lease_expires_at: null, finished_at: now(), last_error: null },
        job.leaseOwner,
      )
      if (!ok) throw new LeaseLost(job.id)
    },

    /**
     * Back to the queue at `runAt`. `spendAttempt: false` (a Retry-After) gives the attempt back;
     * `freshKeys` moves the job to new idempotency keys (the provider answered the last ones).
     */
    async retry(
      job: Job,
      runAt: number,
      error: unknown,
      options: { spendAttempt: boolean; freshKeys?: boolean },
    ) {
      return move(
        db,
        job.id,
        'queued',
        {
          run_at: runAt,
          lease_owner: null,
          lease_expires_at: null,
          last_error: JSON.stringify(error),
          ...(options.spendAttempt ? {} : { attempts: Math.max(0, job.attempts - 1) }),
          ...(options.freshKeys ? { key_epoch: job.keyEpoch + 1 } : {}),
        },
        job.leaseOwner,
      )
    },

    /** Fails a job for good; in the caller's transaction when given one (with what records its end). */
    async fail(job: Job, error: unknown, q: Queryable = db) {
      return move(
        q,
        job.id,
        'failed',
        { lease_owner: null, lease_expires_at: null, finished_at: now(), last_error: JSON.stringify(error) },
        job.leaseOwner,
      )
    },

    /** A queued job is cancelled at once; a running one is asked to stop (its worker sees the flag). */
    async cancel(id: string, tenantId: string): Promise<'cancelled' | 'requested' | 'finished'> {
      const row = await db.get<{ state: JobState }>('SELECT state FROM jobs WHERE id = ? AND tenant_id = ?', [
        id,
        tenantId,
      ])
      if (!row) throw new AppError('not_found')
      if (row.state === 'queued' && (await move(db, id, 'cancelled', { finished_at: now() })))
        return 'cancelled'
      const asked = await db.run(
        "UPDATE jobs SET cancel_requested = 1, updated_at = ? WHERE id = ? AND state = 'running'",
        [now(), id],
      )
      return asked.changes === 1 ? 'requested' : 'finished'
    },

    /** A person's retry of a failed or cancelled job: queued again now, with fresh attempts. */
    async requeue(id: string, tenantId: string): Promise<boolean> {
      const row = await db.get<{ id: string }>('SELECT id FROM jobs WHERE id = ? AND tenant_id = ?', [
        id,
        tenantId,
      ])
      if (!row) throw new AppError('not_found')
      const ok = await move(db, id, 'queued', {
        run_at: now(),
        attempts: 0,
        cancel_requested: 0,
        finished_at: null,
      })
      if (ok) notify()
      return ok
    },

    async get(id: string): Promise<Job | undefined> {
      const row = await db.get<JobRow>('SELECT * FROM jobs WHERE id = ?', [id])
      return row && toJob(row)
    },

    /** When the next queued job of these kinds is due, so an idle worker sleeps no longer than that. */
    async nextRunAt(kinds: readonly string[]): Promise<number | null> {
      if (kinds.length === 0) return null
      const row = await db.get<{ at: number | null }>(
        `SELECT MIN(run_at) AS at FROM jobs WHERE state = 'queued' AND kind IN (${placeholders(kinds)})`,
        [...kinds],
      )
      return row?.at ?? null
    },
  }
}

/** The job's lease passed to another worker: this one must drop its result. */
export class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`The lease on ${jobId} was lost`)
    this.name = 'LeaseLost'
  }
}

export type Queue = ReturnType<typeof createQueue>
