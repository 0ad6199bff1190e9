import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { RateLimits } from '../../server/providers/provider.ts'
import { XERO_FACTS } from '../../server/providers/xero/facts.ts'
import { QUICKBOOKS_FACTS } from '../../server/providers/quickbooks/facts.ts'
import { createRateLimiter, type RateLimiter } from '../../server/sync/rate-limit.ts'
import { manualClock, queueDb } from './support.ts'

const run = promisify(execFile)
let t: Awaited<ReturnType<typeof queueDb>>
let clock: ReturnType<typeof manualClock>
let limiter: RateLimiter
beforeEach(async () => {
  t = await queueDb()
  clock = manualClock()
  limiter = createRateLimiter({ db: t.db, now: clock.now })
})
afterEach(() => t.close())

const take = async (key: string, limits: RateLimits, options = {}) => {
  const got = await limiter.acquire(key, limits, options)
  if (got.ok) await got.permit.release()
  return got
}

describe('per-organisation limits, before the provider says 429', () => {
  test('Xero: 60 in a rolling minute, the 61st waits exactly until the first ages out', async () => {
    for (let i = 0; i < 60; i++) {
      expect(await take('xero:org-a', XERO_FACTS.limits), `call ${i}`).toMatchObject({ ok: true })
      clock.advance(500)
    }
    // 30 s after the first call: 60 calls are in the window.
    expect(await take('xero:org-a', XERO_FACTS.limits)).toEqual({
      ok: false,
      waitMs: 30_001,
      reason: 'minute',
    })
    // Another organisation has its own limits.
    expect((await take('xero:org-b', XERO_FACTS.limits)).ok).toBe(true)
    clock.advance(30_001)
    expect((await take('xero:org-a', XERO_FACTS.limits)).ok).toBe(true)
  })

  test('a call counts from when its answer came: a slow one keeps its place in the window longer', async () => {
    const limits: RateLimits = { ...XERO_FACTS.limits, perMinute: 2 }
    const slow = await limiter.acquire('xero:org-a', limits)
    expect((await take('xero:org-a', limits)).ok).toBe(true)
    // The provider may have counted the slow call as late as its answer, 20 s on.
    clock.advance(20_000)
    if (!slow.ok) throw new Error('no room')
    await slow.permit.release()
    // A minute after the call was sent, not after its answer: the provider may still count it.
    clock.advance(40_001)
    expect(await take('xero:org-a', limits)).toMatchObject({ ok: true })
    expect(await take('xero:org-a', limits)).toEqual({ ok: false, waitMs: 20_000, reason: 'minute' })
    clock.advance(20_000)
    expect((await take('xero:org-a', limits)).ok).toBe(true)
  })

  test('a call whose process died mid-flight counts as late as it could have been sent', async () => {
    const limits: RateLimits = { ...XERO_FACTS.limits, perMinute: 2 }
    // A process takes room and is killed before its answer (its permit is never released or
    // renewed): the provider may have counted the call as late as the permit lived, 5 s on.
    expect((await limiter.acquire('xero:org-a', limits)).ok).toBe(true)
    expect((await take('xero:org-a', limits)).ok).toBe(true)
    clock.advance(60_001)
    // The answered call has aged out; the dead one holds its place until a minute after its permit lapsed.
    expect((await take('xero:org-a', limits)).ok).toBe(true)
    expect(await take('xero:org-a', limits)).toEqual({ ok: false, waitMs: 5_000, reason: 'minute' })
    clock.advance(5_000)
    expect((await take('xero:org-a', limits)).ok).toBe(true)
  })

  test("a further request of an operation counts with the operation's permit until its last answer", async () => {
    const limits: RateLimits = { ...XERO_FACTS.limits, perMinute: 3 }
    const first = await limiter.acquire('xero:org-a', limits)
    if (!first.ok) throw new Error('no room')
    clock.advance(1_000)
    // The operation's second request, under the same permit.
    expect(await limiter.acquire('xero:org-a', limits, { holding: first.permit })).toEqual(first)
    clock.advance(9_000)
    await first.permit.release()
    // Both calls count from the operation's end (10 s on), not from when room was taken.
    clock.advance(50_001)
    expect((await take('xero:org-a', limits)).ok).toBe(true)
    expect(await take('xero:org-a', limits)).toEqual({ ok: false, waitMs: 10_000, reason: 'minute' })
  })

  test('Xero: five in flight at once; a released or expired permit makes room', async () => {
    const held = []
    for (let i = 0; i < 5; i++) {
      const got = await limiter.acquire('xero:org-a', XERO_FACTS.limits)
      expect(got.ok).toBe(true)
      if (got.ok) held.push(got.permit)
    }
    expect(await limiter.acquire('xero:org-a', XERO_FACTS.limits)).toMatchObject({
      ok: false,
      reason: 'concurrent',
    })
    await held[0]!.release()
    expect((await limiter.acquire('xero:org-a', XERO_FACTS.limits)).ok).toBe(true)
    // A process killed mid-call never releases: its permits expire.
    clock.advance(2 * 60_000)
    expect((await limiter.acquire('xero:org-a', XERO_FACTS.limits)).ok).toBe(true)
  })

  test('a permit is renewed while its call is in flight, and one nobody renews expires', async () => {
    const live = createRateLimiter({ db: t.db, now: Date.now, permitMs: 90 })
    const held = []
    for (let i = 0; i < 4; i++) {
      const got = await live.acquire('xero:org-r', XERO_FACTS.limits)
      if (got.ok) held.push(got.permit)
    }
    // A fifth, as a killed process leaves it: its row stays, nobody renews it.
    await t.db.run('INSERT INTO rate_permits (id, bucket, expires_at) VALUES (?, ?, ?)', [
      'dead',
      'xero:org-r',
      Date.now() + 90,
    ])
    expect(await live.acquire('xero:org-r', XERO_FACTS.limits)).toMatchObject({
      ok: false,
      reason: 'concurrent',
    })
    // Well past their first expiry, the four live ones still hold; the dead one has freed its slot.
    await new Promise((resolve) => setTimeout(resolve, 400))
    const fifth = await live.acquire('xero:org-r', XERO_FACTS.limits)
    expect(fifth.ok).toBe(true)
    expect(await live.acquire('xero:org-r', XERO_FACTS.limits)).toMatchObject({
      ok: false,
      reason: 'concurrent',
    })
    for (const permit of [...held, ...(fifth.ok ? [fifth.permit] : [])]) await permit.release()
    expect((await live.acquire('xero:org-r', XERO_FACTS.limits)).ok).toBe(true)
  })

  test("a permit's renewals wait for the process's other transactions instead of being lost", async () => {
    const live = createRateLimiter({ db: t.db, now: Date.now, permitMs: 90 })
    const one = { ...XERO_FACTS.limits, concurrent: 1 }
    const held = await live.acquire('xero:org-t', one)
    if (!held.ok) throw new Error('no room')
    // Other work of the process keeps a transaction open nearly all the time, past several renewals.
    const busyUntil = Date.now() + 400
    while (Date.now() < busyUntil)
      await t.db.transaction(async (tx) => {
        await tx.run('DELETE FROM rate_pauses WHERE bucket = ?', ['none'])
        await new Promise((resolve) => setTimeout(resolve, 25))
      })
    // The call is still in flight: its slot is still taken, and its row still counts it as in flight.
    expect(await live.acquire('xero:org-t', one)).toMatchObject({ ok: false, reason: 'concurrent' })
    const row = await t.db.get<{ at: number }>('SELECT at FROM rate_calls WHERE permit = ?', [held.permit.id])
    expect(row!.at).toBeGreaterThan(Date.now())
    await held.permit.release()
    expect((await live.acquire('xero:org-t', one)).ok).toBe(true)
  })

  test('background reads take only their share: a half-used window or half the slots in flight stops them, not a push', async () => {
    for (let i = 0; i < 30; i++) expect((await take('xero:org-s', XERO_FACTS.limits)).ok).toBe(true)
    expect(await take('xero:org-s', XERO_FACTS.limits, { share: 0.5 })).toMatchObject({
      ok: false,
      reason: 'minute',
    })
    expect((await take('xero:org-s', XERO_FACTS.limits)).ok).toBe(true)
    // In flight: two of Xero's five slots are a poll's half.
    const held = []
    for (let i = 0; i < 2; i++) {
      const got = await limiter.acquire('xero:org-f', XERO_FACTS.limits)
      if (got.ok) held.push(got.permit)
    }
    expect(await limiter.acquire('xero:org-f', XERO_FACTS.limits, { share: 0.5 })).toMatchObject({
      ok: false,
      reason: 'concurrent',
    })
    const push = await limiter.acquire('xero:org-f', XERO_FACTS.limits)
    expect(push.ok).toBe(true)
    for (const p of [...held, ...(push.ok ? [push.permit] : [])]) await p.release()
    expect((await take('xero:org-f', XERO_FACTS.limits, { share: 0.5 })).ok).toBe(true)
  })

  test('Xero: the daily budget', async () => {
    const small = { ...XERO_FACTS.limits, perMinute: 1000, perDay: 3 }
    for (let i = 0; i < 3; i++)
      expect(await take('xero:org-a', small), `call ${i}`).toMatchObject({ ok: true })
    expect(await take('xero:org-a', small)).toMatchObject({ ok: false, reason: 'day' })
  })

  test('QuickBooks: each batch item is a call, and batches have their own 40 a minute', async () => {
    const limits = QUICKBOOKS_FACTS.limits
    for (let i = 0; i < 16; i++)
      expect((await take('qbo:1', limits, { cost: 30, batch: true })).ok).toBe(true)
    // 480 calls used: a 30-item batch would pass 500.
    expect(await take('qbo:1', limits, { cost: 30, batch: true })).toMatchObject({
      ok: false,
      reason: 'minute',
    })
    expect((await take('qbo:2', { ...limits, perMinute: 10_000 }, { cost: 1, batch: true })).ok).toBe(true)
    for (let i = 0; i < 39; i++) await take('qbo:2', { ...limits, perMinute: 10_000 }, { batch: true })
    expect(await take('qbo:2', { ...limits, perMinute: 10_000 }, { batch: true })).toMatchObject({
      ok: false,
      reason: 'batch minute',
    })
  })

  test('a 429 pauses only that organisation, for at least its Retry-After', async () => {
    await limiter.pause('xero:org-a', clock.now() + 45_000, 'minute')
    expect(await take('xero:org-a', XERO_FACTS.limits)).toEqual({
      ok: false,
      waitMs: 45_000,
      reason: 'minute',
    })
    expect((await take('xero:org-b', XERO_FACTS.limits)).ok).toBe(true)
    // A shorter pause never shortens a longer one.
    await limiter.pause('xero:org-a', clock.now() + 1000, 'minute')
    expect(await take('xero:org-a', XERO_FACTS.limits)).toMatchObject({ ok: false, waitMs: 45_000 })
    clock.advance(45_000)
    expect((await take('xero:org-a', XERO_FACTS.limits)).ok).toBe(true)
  })
})

describe('shared by every process', () => {
  test('three processes calling one organisation together stay inside its window and its in-flight limit', async () => {
    await t.db.exec('CREATE TABLE held (owner TEXT, start REAL, "end" REAL)')
    const script = join(import.meta.dirname, '..', 'fixtures', 'rate-caller.ts')
    await Promise.all(['a', 'b', 'c'].map((o) => run(process.execPath, [script, t.url, o, '20'])))
    const held = await t.db.all<{ start: number; end: number }>(
      'SELECT start, "end" FROM held ORDER BY start',
    )
    expect(held).toHaveLength(60)
    // In flight: never more than two permits held at once, whichever process held them.
    const edges = held
      .flatMap((h) => [[h.start, 1] as const, [h.end, -1] as const])
      .sort((x, y) => x[0] - y[0] || x[1] - y[1])
    let inFlight = 0
    let peak = 0
    for (const [, step] of edges) peak = Math.max(peak, (inFlight += step))
    expect(peak).toBeLessThanOrEqual(2)
    // The window: no 1 s (the scaled minute) holds more than 30 calls.
    const at = (await t.db.all<{ at: number }>('SELECT at FROM rate_calls ORDER BY at')).map((r) => r.at)
    expect(at).toHaveLength(60)
    for (let i = 30; i < at.length; i++) expect(at[i]! - at[i - 30]!).toBeGreaterThanOrEqual(1000)
  }, 60_000)
})
