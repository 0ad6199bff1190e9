import { beforeAll, describe, expect, test } from 'vitest'
import { CHECK_EVERY_MS, ROUTINE_CHECK_EVERY_MS } from '../../server/connections/service.ts'
import { ROUTINE_SPREAD_MS } from '../../server/connections/checks.ts'
import { IDEMPOTENCY_TTL_MS } from '../../server/db/repos/idempotency-keys.ts'
import { INSTALLATION_TENANT, KEEP_FINISHED_MS } from '../../server/periodic.ts'
import { PERIODIC_EVERY_MS } from '../../server/services.ts'
import type { TestApp } from '../helpers/app.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { status } from './flow.ts'
import { connected, pollsJustRan, runDueJobs, secondInstance } from './support.ts'

// Periodic work (keep-alive, the check scan, the sweep) and connection checks are jobs of the
// durable queue: one queued per scope, each run queueing the next, done by whichever worker claims it.
const ctx = useEmulatedApp(['sage', 'quickbooks'])
let t: TestApp
beforeAll(() => {
  ;({ t } = ctx)
})

const KINDS = Object.keys(PERIODIC_EVERY_MS) as (keyof typeof PERIODIC_EVERY_MS)[]
/** The installation's periodic jobs by kind and state, with the run_at of the queued one. */
async function periodic() {
  const rows = await t.db.all<{ kind: string; state: string; n: number; run_at: number }>(
    `SELECT kind, state, count(*) AS n, max(run_at) AS run_at FROM jobs WHERE tenant_id = ?
     GROUP BY kind, state ORDER BY kind, state`,
    [INSTALLATION_TENANT],
  )
  return rows
}
const queuedAt = async (kind: string) =>
  (await periodic()).find((r) => r.kind === kind && r.state === 'queued')
const succeeded = async (kind: string) =>
  (await periodic()).find((r) => r.kind === kind && r.state === 'succeeded')?.n ?? 0
/** Runs of a kind that finished at this moment of the test clock (older ones may have been swept). */
const ranNow = async (kind: string) =>
  (await t.db.get<{ n: number }>(
    "SELECT count(*) AS n FROM jobs WHERE tenant_id = ? AND kind = ? AND state = 'succeeded' AND finished_at = ?",
    [INSTALLATION_TENANT, kind, t.now()],
  ))!.n

/** The kind ran once at this moment, and its next run is queued, once, one interval on. */
async function expectRanAndRescheduled(kind: keyof typeof PERIODIC_EVERY_MS) {
  expect(await ranNow(kind)).toBe(1)
  expect(await queuedAt(kind)).toMatchObject({ n: 1, run_at: t.now() + PERIODIC_EVERY_MS[kind] })
}

describe('periodic jobs', () => {
  test('every process that starts ensures one of each kind; they never pile up', async () => {
    const other = secondInstance(t, ctx.emu.registry)
    try {
      // (Processes that start at once are in test/sync/periodic-processes.test.ts.)
      expect((await t.services.periodic.ensure()).sort()).toEqual([...KINDS].sort())
      expect(await other.services.periodic.ensure()).toEqual([])
      expect(await t.services.periodic.ensure()).toEqual([])
      expect(await periodic()).toEqual(
        [...KINDS].sort().map((kind) => ({ kind, state: 'queued', n: 1, run_at: t.now() })),
      )
      await runDueJobs(t, t) // two workers, one run of each
      for (const kind of KINDS) {
        expect(await succeeded(kind)).toBe(1)
        expect(await queuedAt(kind)).toMatchObject({ n: 1, run_at: t.now() + PERIODIC_EVERY_MS[kind] })
      }
      expect(await t.services.periodic.ensure()).toEqual([]) // the next runs are there already
    } finally {
      other.close()
    }
  })

  test('a keep-alive is done by a job and re-scheduled', async () => {
    await t.services.periodic.ensure()
    const token = await t.session({ tenant: 'idle', sub: 'a' })
    const connection = await connected(t, token, 'sage') // 31 days of idle life
    const version = async () =>
      (await t.db.get<{ token_version: number }>('SELECT token_version FROM connections WHERE id = ?', [
        connection.id,
      ]))!.token_version
    const before = await version()
    t.advance(16 * 86_400_000) // past half of Sage's 31 days
    // Checked just now, so the routine check (which may refresh too) is not what refreshes it here.
    await t.db.run('UPDATE connections SET last_checked_at = ? WHERE id = ?', [t.now(), connection.id])
    await pollsJustRan(t, connection.id) // nor a polling pass
    await runDueJobs(t)
    expect(await version()).toBe(before + 1)
    await expectRanAndRescheduled('keep_alive')
    await t.request('/v1/connection', { method: 'DELETE', token })
  })

  test('a requested check is done by a job, and the scan that queues such checks is re-scheduled', async () => {
    await t.services.periodic.ensure()
    const token = await t.session({ tenant: 'requested', sub: 'a' })
    const connection = await connected(t, token, 'quickbooks')
    const qbo = ctx.emu.handles.quickbooks!.control
    const realm = connection.organisation.id
    qbo.disconnectFromQuickBooks(realm)
    await t.services.connections.providerSideDisconnect('quickbooks', realm) // inside the interval
    const job = await t.db.get<{ run_at: number; tenant_id: string; connection_id: string }>(
      "SELECT run_at, tenant_id, connection_id FROM jobs WHERE kind = 'check_connection' AND state = 'queued'",
    )
    expect(job).toEqual({
      run_at: t.now() + CHECK_EVERY_MS,
      tenant_id: 'requested',
      connection_id: connection.id,
    })
    // The queued check is gone (say a person cancelled it): the scan queues the notice's check again.
    await t.db.run("UPDATE jobs SET state = 'cancelled' WHERE kind = 'check_connection' AND state = 'queued'")
    t.advance(CHECK_EVERY_MS + 1)
    await runDueJobs(t)
    expect((await status(t, token)).connection).toMatchObject({
      status: 'revoked',
      lastError: { code: 'connection_revoked' },
    })
    expect(
      await t.db.get(
        "SELECT count(*) AS n FROM jobs WHERE kind = 'check_connection' AND state = 'succeeded' AND connection_id = ?",
        [connection.id],
      ),
    ).toEqual({ n: 1 })
    await expectRanAndRescheduled('check_connections')
  })

  test('a sweep removes expired sessions, embed-token ids, idempotency answers and OAuth attempts, and nothing live', async () => {
    await t.services.periodic.ensure()
    const token = await t.session({ tenant: 'sweep', sub: 'a' })
    const started = await t.request('/v1/connections', { method: 'POST', token, json: { provider: 'sage' } })
    expect(started.status).toBe(201)
    await t.services.idempotency.claim('sweep', 'key-1', 'hash')
    const count = async () =>
      t.db.get<Record<string, number>>(
        `SELECT (SELECT count(*) FROM sessions WHERE tenant_id = 'sweep') AS sessions,
           (SELECT count(*) FROM embed_token_uses) AS embedTokens,
           (SELECT count(*) FROM idempotency_keys WHERE scope = 'sweep') AS idempotencyKeys,
           (SELECT count(*) FROM oauth_attempts WHERE tenant_id = 'sweep') AS oauthAttempts`,
      )
    const before = await count()
    expect(Object.values(before!).every((n) => n >= 1)).toBe(true)
    t.advance(Math.max(IDEMPOTENCY_TTL_MS, t.config.sessionTtlSeconds * 1000) + 60_000)
    const live = await t.session({ tenant: 'sweep', sub: 'b' }) // made after the advance: kept
    await runDueJobs(t)
    expect(await count()).toEqual({ sessions: 1, embedTokens: 1, idempotencyKeys: 0, oauthAttempts: 0 })
    expect((await t.request('/v1/status', { token: live })).status).toBe(200)
    await expectRanAndRescheduled('sweep_expired')
  })

  test('a run whose work fails still queues the next', async () => {
    await t.services.periodic.ensure()
    t.advance(PERIODIC_EVERY_MS.sweep_expired)
    await t.db.exec('ALTER TABLE embed_token_uses RENAME TO embed_token_uses_away')
    try {
      await runDueJobs(t)
    } finally {
      await t.db.exec('ALTER TABLE embed_token_uses_away RENAME TO embed_token_uses')
    }
    expect(await ranNow('sweep_expired')).toBe(1)
    expect(await queuedAt('sweep_expired')).toMatchObject({ n: 1 })
    expect(t.logs.some((l) => l.includes('sweep_expired failed'))).toBe(true)
  })

  test('a kind that failed for good is queued again by the next run of another kind', async () => {
    await t.services.periodic.ensure()
    await t.db.run(
      "UPDATE jobs SET state = 'failed', finished_at = ? WHERE kind = 'keep_alive' AND state = 'queued'",
      [t.now()],
    )
    expect(await queuedAt('keep_alive')).toBeUndefined()
    t.advance(PERIODIC_EVERY_MS.check_connections) // only the scan is due
    await runDueJobs(t) // the scan runs, queues keep_alive to run now, and keep_alive runs
    await expectRanAndRescheduled('keep_alive')
  })

  test('the sweep removes finished periodic jobs and connection checks after a day, never queued ones', async () => {
    await t.services.periodic.ensure()
    const finished = async () =>
      (await t.db.get<{ n: number }>(
        "SELECT count(*) AS n FROM jobs WHERE state = 'succeeded' AND (tenant_id = ? OR kind = 'check_connection')",
        [INSTALLATION_TENANT],
      ))!.n
    expect(await finished()).toBeGreaterThan(0)
    t.advance(KEEP_FINISHED_MS + PERIODIC_EVERY_MS.sweep_expired)
    await runDueJobs(t)
    // What this run finished (the runs due now) stays for a day; everything before it is gone.
    const left = await t.db.all<{ finished_at: number }>(
      "SELECT finished_at FROM jobs WHERE state = 'succeeded' AND (tenant_id = ? OR kind = 'check_connection')",
      [INSTALLATION_TENANT],
    )
    expect(left.length).toBeGreaterThan(0)
    expect(left.every((j) => j.finished_at === t.now())).toBe(true)
    for (const kind of KINDS) expect(await queuedAt(kind)).toMatchObject({ n: 1 })
  })

  test('the installation scope is no host’s: its tenant cannot be read, written or signed in to', async () => {
    const key = await t.apiKey()
    const path = `/v1/tenants/${INSTALLATION_TENANT}`
    expect((await t.request(path, { token: key })).status).toBe(400)
    expect((await t.request(path, { method: 'PUT', token: key, json: { name: 'mine' } })).status).toBe(400)
    const embed = await t.embedToken({ tenant: INSTALLATION_TENANT })
    const signIn = await t.request('/v1/sessions', { method: 'POST', json: { embedToken: embed } })
    expect(signIn.status).toBeGreaterThanOrEqual(400)
    expect(
      await t.db.get('SELECT count(*) AS n FROM users WHERE tenant_id = ?', [INSTALLATION_TENANT]),
    ).toEqual({
      n: 0,
    })
    expect((await t.request('/v1/tenants/acme-ok', { token: key })).status).toBe(404) // the same key works
  })

  test('routine checks of one scan are spread out, so they trickle beside the sync’s jobs', async () => {
    const tokens = await Promise.all([1, 2, 3].map((i) => t.session({ tenant: `routine-${i}`, sub: 'a' })))
    const ids: string[] = []
    for (const token of tokens) ids.push((await connected(t, token, 'quickbooks')).id)
    t.advance(ROUTINE_CHECK_EVERY_MS + 1)
    const count = await t.services.connections.checks.enqueueDue()
    expect(count).toBeGreaterThanOrEqual(3) // ours, and any other connection of this file due too
    const queued = await t.db.all<{ run_at: number; connection_id: string }>(
      "SELECT run_at, connection_id FROM jobs WHERE kind = 'check_connection' AND state = 'queued' AND created_at = ? ORDER BY run_at",
      [t.now()],
    )
    expect(queued.map((j) => j.run_at - t.now())).toEqual(
      Array.from({ length: count }, (_, i) => i * ROUTINE_SPREAD_MS),
    )
    expect(queued.map((j) => j.connection_id)).toEqual(expect.arrayContaining(ids))
    t.advance((count - 1) * ROUTINE_SPREAD_MS)
    const at = t.now()
    await runDueJobs(t)
    const checked = await t.db.all<{ last_checked_at: number }>(
      'SELECT last_checked_at FROM connections WHERE id IN (?, ?, ?)',
      ids,
    )
    expect(checked).toEqual(ids.map(() => ({ last_checked_at: at })))
    for (const token of tokens) await t.request('/v1/connection', { method: 'DELETE', token })
  })
})
