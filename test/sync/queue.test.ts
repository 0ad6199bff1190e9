import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { Db } from '../../server/db/client.ts'
import { backoffDelay } from '../../server/sync/backoff.ts'
import { TRANSITIONS, assertTransition, type JobState } from '../../server/sync/job-states.ts'
import { createQueue, LeaseLost, type Queue } from '../../server/sync/queue.ts'
import { manualClock, queueDb } from './support.ts'

let t: Awaited<ReturnType<typeof queueDb>>
let db: Db
let queue: Queue
let clock: ReturnType<typeof manualClock>
const job = (over: Partial<Parameters<Queue['enqueue']>[1]> = {}) => ({
  kind: 'push',
  tenantId: t.tenantId,
  payload: { n: 1 },
  ...over,
})

beforeEach(async () => {
  t = await queueDb()
  db = t.db
  clock = manualClock()
  queue = createQueue({ db, now: clock.now })
})
afterEach(() => t.close())

describe('job states', () => {
  test('one table holds every legal move, and everything else is refused', () => {
    const states = Object.keys(TRANSITIONS) as JobState[]
    for (const from of states)
      for (const to of states)
        if (TRANSITIONS[from].includes(to)) expect(() => assertTransition(from, to)).not.toThrow()
        else expect(() => assertTransition(from, to)).toThrow(/cannot move/)
    expect(TRANSITIONS.succeeded).toEqual([])
  })
})

describe('backoff', () => {
  test('is uniform below a ceiling that doubles per attempt and stops at the cap', () => {
    expect(backoffDelay(1, () => 0.999_999)).toBe(999)
    expect(backoffDelay(4, () => 0.999_999)).toBe(7999)
    expect(backoffDelay(30, () => 0.999_999)).toBe(5 * 60_000 - 1)
    expect(backoffDelay(30, () => 0)).toBe(0)
  })
})

describe('the queue', () => {
  test('an enqueue inside a transaction that rolls back leaves no job (the outbox)', async () => {
    await expect(
      db.transaction(async (tx) => {
        await queue.enqueue(tx, job())
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    expect(await db.get('SELECT count(*) AS n FROM jobs')).toEqual({ n: 0 })
  })

  test('a dedupe key answers the queued job instead of adding a second', async () => {
    const a = await queue.enqueueNow(job({ dedupeKey: 'check:con_1' }))
    const b = await queue.enqueueNow(job({ dedupeKey: 'check:con_1' }))
    expect(b).toEqual({ id: a.id, created: false })
    const [claimed] = await queue.claim('w1', { limit: 5, kinds: ['push'] })
    expect(claimed!.id).toBe(a.id)
    // Once that one runs, a new request is new work.
    expect((await queue.enqueueNow(job({ dedupeKey: 'check:con_1' }))).created).toBe(true)
  })

  test('claims only due jobs of its kinds, spending one attempt each', async () => {
    await queue.enqueueNow(job())
    await queue.enqueueNow(job({ kind: 'other' }))
    await queue.enqueueNow(job({ runAt: clock.now() + 60_000 }))
    const claimed = await queue.claim('w1', { limit: 10, kinds: ['push'] })
    expect(claimed).toHaveLength(1)
    expect(claimed[0]).toMatchObject({ state: 'running', attempts: 1, payload: { n: 1 } })
    expect(claimed[0]!.leaseOwner).toMatch(/^w1:/)
    clock.advance(60_000)
    expect(await queue.claim('w2', { limit: 10, kinds: ['push'] })).toHaveLength(1)
  })

  test('jobs sharing a lock key never run together', async () => {
    const first = await queue.enqueueNow(job({ lockKey: 'inv_1' }))
    const second = await queue.enqueueNow(job({ lockKey: 'inv_1' }))
    const claimed = await queue.claim('w1', { limit: 10, kinds: ['push'] })
    expect(claimed.map((j) => j.id)).toEqual([first.id])
    expect(await queue.claim('w2', { limit: 10, kinds: ['push'] })).toEqual([])
    await db.transaction((tx) => queue.succeed(tx, claimed[0]!))
    expect((await queue.claim('w2', { limit: 10, kinds: ['push'] })).map((j) => j.id)).toEqual([second.id])
    expect((await queue.get(second.id))!.attempts).toBe(1)
  })

  test('an expired lease returns the job, and the old run can no longer finish it, even in the same worker', async () => {
    await queue.enqueueNow(job())
    const [mine] = await queue.claim('w1', { limit: 1, kinds: ['push'], leaseMs: 1000 })
    clock.advance(999)
    expect(await queue.recoverExpired()).toBe(0)
    clock.advance(1)
    expect(await queue.recoverExpired()).toBe(1)
    const [theirs] = await queue.claim('w1', { limit: 1, kinds: ['push'] })
    expect(theirs).toMatchObject({ id: mine!.id, attempts: 2 })
    await expect(
      db.transaction(async (tx) => {
        await tx.run("UPDATE tenants SET name = 'written by a worker that lost its lease' WHERE id = ?", [
          t.tenantId,
        ])
        await queue.succeed(tx, mine!)
      }),
    ).rejects.toBeInstanceOf(LeaseLost)
    expect(await db.get('SELECT name FROM tenants WHERE id = ?', [t.tenantId])).toEqual({ name: 'Acme' })
    expect(await queue.renew(mine!)).toBe(false)
    expect(await queue.renew(theirs!)).toBe(true)
  })

  test('a Retry-After reschedules without spending an attempt; a transient fault spends one', async () => {
    const { id } = await queue.enqueueNow(job())
    const [a] = await queue.claim('w1', { limit: 1, kinds: ['push'] })
    expect(await queue.retry(a!, clock.now() + 5000, { code: 'x' }, { spendAttempt: false })).toBe(true)
    expect(await queue.get(id)).toMatchObject({ state: 'queued', attempts: 0, runAt: clock.now() + 5000 })
    expect(await queue.claim('w1', { limit: 1, kinds: ['push'] })).toEqual([])
    clock.advance(5000)
    const [b] = await queue.claim('w1', { limit: 1, kinds: ['push'] })
    await queue.retry(b!, clock.now(), { code: 'y' }, { spendAttempt: true })
    expect(await queue.get(id)).toMatchObject({ attempts: 1, lastError: { code: 'y' }, keyEpoch: 0 })
  })

  test('the key epoch moves only on a retry that asks for fresh keys, and survives a lost lease', async () => {
    const { id } = await queue.enqueueNow(job())
    const [a] = await queue.claim('w1', { limit: 1, kinds: ['push'], leaseMs: 1000 })
    await queue.retry(a!, clock.now(), { code: 'x' }, { spendAttempt: true, freshKeys: true })
    expect(await queue.get(id)).toMatchObject({ keyEpoch: 1 })
    const [b] = await queue.claim('w1', { limit: 1, kinds: ['push'], leaseMs: 1000 })
    clock.advance(1000)
    expect(await queue.recoverExpired()).toBe(1)
    expect(await queue.get(id)).toMatchObject({ state: 'queued', keyEpoch: 1, attempts: b!.attempts })
    const [c] = await queue.claim('w1', { limit: 1, kinds: ['push'] })
    await queue.retry(c!, clock.now(), { code: 'y' }, { spendAttempt: true, freshKeys: false })
    expect(await queue.get(id)).toMatchObject({ keyEpoch: 1 })
  })

  test('cancel stops a queued job at once and flags a running one; a failed job can be retried', async () => {
    const queued = await queue.enqueueNow(job())
    expect(await queue.cancel(queued.id, t.tenantId)).toBe('cancelled')
    const running = await queue.enqueueNow(job())
    const [r] = await queue.claim('w1', { limit: 1, kinds: ['push'] })
    expect(await queue.cancel(running.id, t.tenantId)).toBe('requested')
    expect((await queue.get(running.id))!.cancelRequested).toBe(true)
    await queue.fail(r!, { code: 'bad' })
    await expect(queue.cancel(running.id, 'another-tenant')).rejects.toMatchObject({ code: 'not_found' })
    expect(await queue.requeue(running.id, t.tenantId)).toBe(true)
    expect(await queue.get(running.id)).toMatchObject({
      state: 'queued',
      attempts: 0,
      cancelRequested: false,
    })
  })
})
