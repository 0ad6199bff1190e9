import type { Db, Queryable } from './db/client.ts'
import type { Logger } from './logging/logger.ts'
import type { Queue } from './sync/queue.ts'
import type { JobHandler } from './sync/worker.ts'

/**
 * The scope of work that is no tenant's: a reserved tenant row (migration 0019) whose id no host's
 * tenant id can take, since those start with a letter or digit.
 */
export const INSTALLATION_TENANT = '_installation'

/** One kind of periodic work: what it does and how long after one run the next is due. */
export interface PeriodicWork {
  kind: string
  everyMs: number
  /** Does the work; answers figures for the log line. */
  run(): Promise<Record<string, number>>
}

const keyOf = (kind: string) => `periodic:${kind}`
/** How long a succeeded periodic job or connection check stays in the jobs table (for a look at it). */
export const KEEP_FINISHED_MS = 86_400_000

/**
 * Periodic work as jobs of the durable queue, so any number of processes (npm start, npm run
 * worker) share it and exactly one runs each occurrence. There is always exactly one of each kind
 * queued or running: a run, when done, queues the next (run_at = now + everyMs) in the transaction
 * that marks it succeeded, deduplicated by the kind's key; a process that starts queues any that
 * are missing (`ensure`). A run whose work fails still queues the next: the failure is logged, and
 * the next run is the retry. A run cut short (a killed process) comes back when its lease expires.
 */
export function createPeriodicJobs(deps: {
  db: Db
  queue: Queue
  log: Logger
  now: () => number
  work: readonly PeriodicWork[]
}) {
  const { db, queue, log, now } = deps

  const enqueue = (q: Queryable, work: PeriodicWork, runAt: number) =>
    queue.enqueue(q, {
      kind: work.kind,
      tenantId: INSTALLATION_TENANT,
      payload: null,
      runAt,
      dedupeKey: keyOf(work.kind),
    })

  /** Queues, to run now, each kind (but `except`) of which none is queued or running. */
  async function ensureIn(q: Queryable, except?: string): Promise<string[]> {
    const added: string[] = []
    for (const work of deps.work) {
      if (work.kind === except) continue
      const present = await q.get(
        "SELECT 1 AS present FROM jobs WHERE dedupe_key = ? AND state IN ('queued', 'running')",
        [keyOf(work.kind)],
      )
      if (!present && (await enqueue(q, work, now())).created) added.push(work.kind)
    }
    return added
  }

  const handlers: Record<string, JobHandler> = {}
  for (const work of deps.work)
    handlers[work.kind] = async (ctx) => {
      try {
        log.debug(`${work.kind} done`, await work.run())
      } catch (err) {
        log.warn(`${work.kind} failed; the next run tries again`, { err })
      }
      // The next run, and any other kind that went missing (a job that failed for good): while one
      // kind still runs, the set heals itself without waiting for a process to start.
      await ctx.finish(async (tx) => {
        await enqueue(tx, work, now() + work.everyMs)
        await ensureIn(tx, work.kind)
      })
    }

  return {
    handlers,

    /** Queues, to run now, each kind of which none is queued or running (a process that starts). */
    async ensure(): Promise<string[]> {
      const added = await db.transaction((tx) => ensureIn(tx))
      if (added.length) queue.notify()
      return added
    },

    /**
     * Removes succeeded jobs of the installation, and of `kinds` (connection checks), finished more
     * than KEEP_FINISHED_MS ago: a run a minute would otherwise grow the jobs table without end.
     */
    async deleteFinished(kinds: readonly string[]): Promise<number> {
      const { changes } = await db.run(
        `DELETE FROM jobs WHERE state = 'succeeded' AND finished_at <= ?
           AND (tenant_id = ? OR kind IN (${kinds.map(() => '?').join(', ') || "''"}))`,
        [now() - KEEP_FINISHED_MS, INSTALLATION_TENANT, ...kinds],
      )
      return changes
    },
  }
}

export type PeriodicJobs = ReturnType<typeof createPeriodicJobs>
