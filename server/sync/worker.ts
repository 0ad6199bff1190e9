import type { Db, Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../logging/logger.ts'
import { ProviderError } from '../providers/provider.ts'
import { backoffDelay } from './backoff.ts'
import { DEFAULT_LEASE_MS, LeaseLost, type Job, type Queue } from './queue.ts'

/**
 * Runs jobs from the queue: claims what is due, keeps each lease alive while its handler works,
 * and decides from the error alone what happens next (STYLE.md: the engine alone decides whether
 * to retry). A job enqueued in this process starts at once; jobs from other processes are seen
 * within `pollMs`.
 */
export interface JobContext {
  job: Job
  /** Aborted when the lease is lost or a cancel is requested: stop, and write nothing more. */
  signal: AbortSignal
  /** Commits the job's own writes together with its success (or not at all if the lease was lost). */
  finish(write: (tx: Queryable) => Promise<void>): Promise<void>
  /**
   * The idempotency key of one write of this job (`part` names it: a batch, a contact). The same
   * on a retry after no answer, so the provider replays a write that landed; new after an answer.
   */
  idempotencyKey(part: string): string
}

export type JobHandler = (ctx: JobContext) => Promise<void>

export type Decision =
  | { action: 'retry'; delayMs: number; spendAttempt: boolean; freshKeys: boolean; error: JobError }
  | { action: 'fail'; error: JobError }

export interface JobError {
  code: string
  message: string
  kind?: string
  correlationId?: string | null
}

/**
 * A job that may not run now (its tenant turned sync off): it waits, queued, without spending an
 * attempt, until `delayMs` or until the switch is turned back on (settings.ts releases it).
 */
export class JobHeld extends Error {
  readonly delayMs: number
  constructor(message: string, delayMs: number) {
    super(message)
    this.name = 'JobHeld'
    this.delayMs = delayMs
  }
}

/** Transient faults back off; a Retry-After waits without spending an attempt; the rest fail at once. */
export function decide(err: unknown, job: Job, random: () => number = Math.random): Decision {
  // Only a call that got no answer may have landed unheard: its keys are sent again. Any answer
  // (Xero caches errors too) moves the job to new keys; the lookup before writing guards the rest.
  const freshKeys = !(err instanceof ProviderError && err.status === null)
  const retry = (error: JobError, delayMs: number, spendAttempt = true): Decision =>
    spendAttempt && job.attempts >= job.maxAttempts
      ? { action: 'fail', error }
      : { action: 'retry', delayMs, spendAttempt, freshKeys, error }
  if (err instanceof JobHeld)
    return retry({ code: 'sync_disabled', message: err.message }, err.delayMs, false)
  if (err instanceof ProviderError) {
    const error = {
      code: `provider_${err.kind}`,
      message: err.message,
      kind: err.kind,
      correlationId: err.correlationId,
    }
    if (err.kind === 'rate_limited')
      return retry(error, err.retryAfterMs ?? backoffDelay(job.attempts, random), false)
    if (err.kind === 'transient') return retry(error, backoffDelay(job.attempts, random))
    return { action: 'fail', error }
  }
  if (err instanceof AppError) {
    const error = { code: err.code, message: err.message }
    return err.status >= 500 || err.code === 'provider_rate_limited'
      ? retry(error, backoffDelay(job.attempts, random))
      : { action: 'fail', error }
  }
  // A bug or an unexpected fault: retried (it may be passing), bounded by the attempts.
  return retry(
    { code: 'internal', message: err instanceof Error ? err.message : String(err) },
    backoffDelay(job.attempts, random),
  )
}

export function createWorker(deps: {
  db: Db
  queue: Queue
  handlers: Readonly<Record<string, JobHandler>>
  owner: string
  log: Logger
  now: () => number
  concurrency?: number
  pollMs?: number
  leaseMs?: number
  random?: () => number
  /**
   * Called in the transaction that settles a job for good (succeeded, or failed with its error),
   * so what it writes (the sync history) commits with the job's end or not at all.
   */
  settled?: (tx: Queryable, job: Job, failure: JobError | null) => Promise<void>
}) {
  const { db, queue, handlers, owner, log, now } = deps
  const kinds = Object.keys(handlers)
  const concurrency = deps.concurrency ?? 4
  const pollMs = deps.pollMs ?? 1000
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS
  const running = new Map<string, Promise<void>>()
  let stopped = true
  let timer: NodeJS.Timeout | undefined
  let ticking: Promise<void> | null = null
  let again = false
  const idle = new Set<() => void>()

  async function run(job: Job) {
    const controller = new AbortController()
    const renew = setInterval(
      () => {
        void (async () => {
          const current = await queue.get(job.id)
          if (current?.cancelRequested || !(await queue.renew(job, leaseMs))) controller.abort()
        })().catch((err: unknown) => log.warn('lease renewal failed', { jobId: job.id, err }))
      },
      Math.max(10, Math.floor(leaseMs / 3)),
    )
    let finished = false
    const ctx: JobContext = {
      job,
      signal: controller.signal,
      finish: async (write) => {
        await db.transaction(async (tx) => {
          await write(tx)
          await queue.succeed(tx, job)
          await deps.settled?.(tx, job, null)
        })
        finished = true
      },
      idempotencyKey: (part) => `${job.id}.${job.keyEpoch}.${part}`,
    }
    try {
      await handlers[job.kind]!(ctx)
      if (!finished) await ctx.finish(() => Promise.resolve())
    } catch (err) {
      if (err instanceof LeaseLost || controller.signal.aborted) {
        log.info('job stopped: lease lost or cancelled', { jobId: job.id, kind: job.kind })
        if ((await queue.get(job.id))?.cancelRequested)
          await queue.fail(job, { code: 'cancelled', message: 'Cancelled' })
        return
      }
      const decision = decide(err, job, deps.random)
      const moved =
        decision.action === 'retry'
          ? await queue.retry(job, now() + decision.delayMs, decision.error, {
              spendAttempt: decision.spendAttempt,
              freshKeys: decision.freshKeys,
            })
          : await db.transaction(async (tx) => {
              const failed = await queue.fail(job, decision.error, tx)
              if (failed) await deps.settled?.(tx, job, decision.error)
              return failed
            })
      log[decision.action === 'fail' ? 'warn' : 'info'](
        `job ${decision.action === 'fail' ? 'failed' : 'will retry'}`,
        {
          jobId: job.id,
          kind: job.kind,
          attempt: job.attempts,
          code: decision.error.code,
          message: decision.error.message,
          moved,
        },
      )
    } finally {
      clearInterval(renew)
      queue.settled(job.id)
    }
  }

  async function tick() {
    if (stopped) return
    await queue.recoverExpired()
    const free = concurrency - running.size
    const jobs = free > 0 ? await queue.claim(owner, { limit: free, kinds, leaseMs }) : []
    for (const job of jobs) {
      const done = run(job)
        .catch((err: unknown) => log.error('job runner fault', { jobId: job.id, err }))
        .finally(() => {
          running.delete(job.id)
          wake()
        })
      running.set(job.id, done)
    }
    if (running.size === 0 && jobs.length === 0) for (const resolve of idle) resolve()
    await schedule()
  }

  /** Sleeps until the next due job or the poll interval, whichever is sooner. */
  async function schedule() {
    clearTimeout(timer)
    if (stopped) return
    const next = await queue.nextRunAt(kinds)
    const wait = next === null ? pollMs : Math.max(0, Math.min(pollMs, next - now()))
    timer = setTimeout(wake, wait)
    timer.unref()
  }

  /** One tick at a time; a wake during a tick runs one more after it. */
  function wake() {
    if (stopped) return
    if (ticking) {
      again = true
      return
    }
    ticking = tick()
      .catch((err: unknown) => log.error('worker tick failed', { err }))
      .finally(() => {
        ticking = null
        if (again) {
          again = false
          wake()
        }
      })
  }

  let unsubscribe: (() => void) | undefined
  return {
    owner,
    start() {
      if (!stopped) return
      stopped = false
      unsubscribe = queue.onEnqueue(wake)
      wake()
    },
    /** Stops claiming and waits for the jobs in hand (their leases keep them safe if this is cut short). */
    async stop() {
      stopped = true
      clearTimeout(timer)
      unsubscribe?.()
      await ticking
      await Promise.all(running.values())
    },
    /** Resolves when the worker finds nothing to do (tests and benchmarks await it, never sleep). */
    whenIdle(): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          idle.delete(done)
          resolve()
        }
        idle.add(done)
        wake()
      })
    },
  }
}

export type Worker = ReturnType<typeof createWorker>
