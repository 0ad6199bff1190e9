import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { AppError } from '../../server/errors.ts'
import { createLogger } from '../../server/logging/logger.ts'
import { ProviderError } from '../../server/providers/provider.ts'
import { createQueue, type Job, type Queue } from '../../server/sync/queue.ts'
import { createWorker, decide, type JobHandler, type Worker } from '../../server/sync/worker.ts'
import { queueDb } from './support.ts'

let t: Awaited<ReturnType<typeof queueDb>>
let queue: Queue
const workers: Worker[] = []
const log = createLogger({ level: 'error', sink: () => undefined })

beforeEach(async () => {
  t = await queueDb()
  queue = createQueue({ db: t.db, now: Date.now })
})
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()))
  t.close()
})

function start(
  handlers: Record<string, JobHandler>,
  options: { pollMs?: number; leaseMs?: number; q?: Queue } = {},
) {
  const worker = createWorker({
    db: t.db,
    queue: options.q ?? queue,
    handlers,
    owner: `w${workers.length}`,
    log,
    now: Date.now,
    pollMs: options.pollMs ?? 3_600_000,
    leaseMs: options.leaseMs ?? 60_000,
  })
  workers.push(worker)
  worker.start()
  return worker
}
const deferred = <T = void>() => {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}
const job = (kind = 'push', payload: unknown = {}) => ({ kind, tenantId: t.tenantId, payload })

describe('the worker', () => {
  test('a job enqueued in this process starts at once, not at the next poll (an hour away here)', async () => {
    const ran = deferred<unknown>()
    const worker = start({ push: (ctx) => Promise.resolve(ran.resolve(ctx.job.payload)) })
    await worker.whenIdle()
    await queue.enqueueNow(job('push', { invoice: 'inv_1' }))
    expect(await ran.promise).toEqual({ invoice: 'inv_1' })
  })

  test('a job enqueued by another process is seen at the next poll', async () => {
    const ran = deferred()
    start({ push: () => Promise.resolve(ran.resolve()) }, { pollMs: 50 })
    // Another process: its own queue object, so no in-process wake-up reaches this worker.
    const elsewhere = createQueue({ db: t.db, now: Date.now })
    await elsewhere.enqueue(t.db, job())
    await ran.promise
  })

  test('the job’s writes and its success commit together', async () => {
    await t.db.exec('CREATE TABLE pushed (id TEXT)')
    const worker = start({
      push: (ctx) =>
        ctx.finish((tx) => tx.run('INSERT INTO pushed VALUES (?)', [ctx.job.id]).then(() => undefined)),
    })
    const { id } = await queue.enqueueNow(job())
    await worker.whenIdle()
    expect(await t.db.all('SELECT id FROM pushed')).toEqual([{ id }])
    expect((await queue.get(id))!.state).toBe('succeeded')
  })

  test('a long job keeps its lease alive; no other worker takes it over', async () => {
    const started = deferred()
    const release = deferred()
    const runs: string[] = []
    const slow: JobHandler = async (ctx) => {
      runs.push(ctx.job.leaseOwner!)
      started.resolve()
      await release.promise
    }
    // A lease far longer than scheduling jitter on a loaded 2-core machine (a 60 ms one was lost
    // there between renewals), still short enough for several lifetimes to pass in the test.
    start({ push: slow }, { leaseMs: 400, pollMs: 20 })
    start({ push: slow }, { leaseMs: 400, pollMs: 20 })
    const { id } = await queue.enqueueNow(job())
    await started.promise
    // Three lease lifetimes pass while the job works; the other worker polls all the while.
    await new Promise((r) => setTimeout(r, 1200))
    release.resolve()
    await Promise.all(workers.map((w) => w.whenIdle()))
    expect(runs).toHaveLength(1)
    expect(await queue.get(id)).toMatchObject({ state: 'succeeded', attempts: 1 })
  })

  test('cancelling a running job aborts its signal and ends it as cancelled', async () => {
    const aborted = deferred()
    const started = deferred()
    const worker = start(
      {
        push: async (ctx) => {
          ctx.signal.addEventListener('abort', () => aborted.resolve())
          started.resolve()
          await aborted.promise
          throw new Error('stopped')
        },
      },
      { leaseMs: 60 },
    )
    const { id } = await queue.enqueueNow(job())
    await started.promise
    expect(await queue.cancel(id, t.tenantId)).toBe('requested')
    await aborted.promise
    await worker.whenIdle()
    expect(await queue.get(id)).toMatchObject({ state: 'failed', lastError: { code: 'cancelled' } })
  })
})

describe('what a failure means (the engine alone decides)', () => {
  const running = (attempts: number, maxAttempts = 8) => ({ attempts, maxAttempts }) as Job
  const half = () => 0.5

  test('a 429 waits its Retry-After and gives the attempt back', () => {
    const err = new ProviderError('xero', 'rate_limited', 'Rate limit exceeded', {
      retryAfterMs: 42_000,
      correlationId: 'abc',
    })
    expect(decide(err, running(8), half)).toEqual({
      action: 'retry',
      delayMs: 42_000,
      spendAttempt: false,
      freshKeys: false,
      error: {
        code: 'provider_rate_limited',
        message: 'Rate limit exceeded',
        kind: 'rate_limited',
        correlationId: 'abc',
      },
    })
  })

  test('a transient fault backs off and spends an attempt, until none are left', () => {
    const err = new ProviderError('sage', 'transient', 'Service Unavailable', { status: 503 })
    expect(decide(err, running(3), half)).toMatchObject({
      action: 'retry',
      delayMs: 2000,
      spendAttempt: true,
    })
    expect(decide(err, running(8), half)).toMatchObject({
      action: 'fail',
      error: { code: 'provider_transient' },
    })
  })

  test('a retry after no answer resends the same idempotency keys; after an answer it moves to new ones', () => {
    const reset = new ProviderError('xero', 'transient', 'network error: socket hang up')
    const answered = new ProviderError('xero', 'transient', 'Internal Server Error', { status: 500 })
    expect(decide(reset, running(1), half)).toMatchObject({ action: 'retry', freshKeys: false })
    // Xero caches an error answer under its key for six minutes: the same key would only replay it.
    expect(decide(answered, running(1), half)).toMatchObject({ action: 'retry', freshKeys: true })
    expect(decide(new Error('bug'), running(1), half)).toMatchObject({ action: 'retry', freshKeys: true })
  })

  test('a validation fault fails at once with the provider’s own message', () => {
    const err = new ProviderError('quickbooks', 'validation', 'Duplicate Name Exists Error', {
      correlationId: 'tid-1',
    })
    expect(decide(err, running(1), half)).toEqual({
      action: 'fail',
      error: {
        code: 'provider_validation',
        message: 'Duplicate Name Exists Error',
        kind: 'validation',
        correlationId: 'tid-1',
      },
    })
  })

  test('our own errors: retryable ones back off, the rest fail', () => {
    expect(decide(new AppError('provider_unavailable'), running(1), half)).toMatchObject({ action: 'retry' })
    expect(decide(new AppError('validation_failed'), running(1), half)).toMatchObject({ action: 'fail' })
  })

  test('through the worker: a 429 reschedules without spending the attempt', async () => {
    const worker = start({
      push: () =>
        Promise.reject(
          new ProviderError('xero', 'rate_limited', 'Rate limit exceeded', { retryAfterMs: 60_000 }),
        ),
    })
    const { id } = await queue.enqueueNow(job())
    await worker.whenIdle()
    const after = await queue.get(id)
    expect(after).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: { code: 'provider_rate_limited' },
    })
    expect(after!.runAt).toBeGreaterThanOrEqual(Date.now() + 55_000)
  })
})
