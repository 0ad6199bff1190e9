import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CHECK_EVERY_MS, ROUTINE_CHECK_EVERY_MS } from '../../server/connections/service.ts'
import type { TestApp } from '../helpers/app.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { status } from './flow.ts'
import { connected, listen, pollsJustRan, runDueJobs, secondInstance, watchChecks } from './support.ts'

// Security finding 4: the QuickBooks Disconnect URL is unauthenticated, so a flood of visits must
// not become a flood of provider calls; a visit records the notice and queues one check job per
// connection, run by the workers at most once per connection per interval. Status reads only read.
const ctx = useEmulatedApp(['quickbooks'])
let emu: typeof ctx.emu
let t: TestApp
let server: Awaited<ReturnType<typeof listen>>
beforeAll(async () => {
  ;({ emu, t } = ctx)
  server = await listen(t.app.fetch)
})
afterAll(() => server.close())

const qbo = () => emu.handles.quickbooks!.control
const visit = (base: string, realm: string) =>
  fetch(`${base}/v1/oauth/quickbooks/disconnected?realmId=${realm}`)
const checks = () => t.services.connections.checks
const queuedChecks = async () =>
  (await t.db.get<{ n: number }>(
    "SELECT count(*) AS n FROM jobs WHERE kind = 'check_connection' AND state = 'queued'",
  ))!.n
const requestedAt = async (id: string) =>
  (await t.db.get<{ check_requested_at: number | null }>(
    'SELECT check_requested_at FROM connections WHERE id = ?',
    [id],
  ))!.check_requested_at

/** Tenants connected to the emulator's company; every test lets go of its own at the end. */
async function tenants(prefix: string, count: number) {
  const made: { token: string; connection: Awaited<ReturnType<typeof connected>> }[] = []
  for (let i = 0; i < count; i++) {
    const token = await t.session({ tenant: `${prefix}-${i}`, sub: 'a' })
    made.push({ token, connection: await connected(t, token, 'quickbooks') })
  }
  return {
    made,
    realm: made[0]!.connection.organisation.id,
    release: async () => {
      for (const { token } of made) await t.request('/v1/connection', { method: 'DELETE', token })
    },
  }
}

describe('QuickBooks’ Disconnect URL under a flood', () => {
  test('600 concurrent visits over two instances: one check per connection, every page answered while it is still at QuickBooks', async () => {
    const { made, realm, release: letGo } = await tenants('flood', 2)
    const watch = watchChecks(emu.registry)
    const instances = [secondInstance(t, watch.providers), secondInstance(t, watch.providers)]
    const servers = await Promise.all(instances.map((i) => listen(i.app.fetch)))
    try {
      t.advance(CHECK_EVERY_MS + 1) // both connections are due a check
      qbo().clearRequests()
      const release = qbo().holdApiCalls() // QuickBooks answers nothing until the pages are all in
      try {
        const pages = await Promise.all(
          Array.from({ length: 600 }, (_, i) => visit(servers[i % 2]!.url, realm)),
        )
        const texts = await Promise.all(pages.map((p) => p.text()))
        expect(pages.filter((p) => p.status !== 200)).toEqual([])
        expect(new Set(texts).size).toBe(1)
        expect(texts[0]).toContain('Disconnected from QuickBooks')
        expect(texts[0]).not.toContain('no longer sends') // not known when the page answers
        expect(watch.calls.started).toBe(0) // no page called the provider: each queued a check
        expect(await queuedChecks()).toBe(2) // one per connection
      } finally {
        release()
      }
      // Two workers compete for the checks (in one instance: two database handles in one thread
      // would wait on each other's locks; processes sharing a file are test/sync/periodic-processes).
      await runDueJobs(instances[0]!, instances[0]!)

      expect(watch.calls).toEqual({ started: 2, ended: 2 })
      const calls = qbo().requests()
      expect(calls.map((r) => r.status)).toEqual([200, 200])
      expect(new Set(calls.map((r) => r.headers.authorization)).size).toBe(2) // one per connection
      for (const { token } of made)
        expect((await status(t, token)).connection).toMatchObject({ status: 'active', lastError: null })
    } finally {
      await Promise.all(servers.map((s) => s.close()))
      for (const i of instances) i.close()
      await letGo()
    }
  })

  test('a rate-limited check leaves the connection active with no error; the notice is answered by a later check', async () => {
    const { made, realm, release } = await tenants('throttled', 1)
    const { token, connection } = made[0]!
    try {
      t.advance(CHECK_EVERY_MS + 1)
      qbo().forceThrottle(realm, 1)
      expect((await visit(server.url, realm)).status).toBe(200)
      await runDueJobs(t)
      expect((await status(t, token)).connection).toMatchObject({ status: 'active', lastError: null })
      expect(await requestedAt(connection.id)).not.toBeNull() // the 429 answered nothing

      t.advance(CHECK_EVERY_MS + 1)
      expect(await checks().enqueueDue()).toBe(1) // what the scan job queues every minute
      await runDueJobs(t)
      expect(await requestedAt(connection.id)).toBeNull()
      expect((await status(t, token)).connection).toMatchObject({ status: 'active', lastError: null })
    } finally {
      await release()
    }
  })

  test('a removal in QuickBooks is still found: the background check marks the connection revoked', async () => {
    const { made, realm } = await tenants('removed', 1)
    t.advance(CHECK_EVERY_MS + 1)
    qbo().disconnectFromQuickBooks(realm)
    expect((await visit(server.url, realm)).status).toBe(200)
    await runDueJobs(t)
    expect((await status(t, made[0]!.token)).connection).toMatchObject({
      status: 'revoked',
      lastError: { code: 'connection_revoked' },
    })
  })

  test('a removal inside the interval is not lost: no call now, the next check marks it revoked', async () => {
    const { made, realm } = await tenants('early', 1) // just connected, so just checked
    qbo().disconnectFromQuickBooks(realm)
    qbo().clearRequests()
    const pages = await Promise.all(Array.from({ length: 50 }, () => visit(server.url, realm)))
    expect(pages.map((p) => p.status)).toEqual(pages.map(() => 200))
    expect(qbo().requests()).toEqual([]) // nothing was due, so nothing was started
    expect(await queuedChecks()).toBe(1) // one check, queued for when the interval allows
    await runDueJobs(t)
    expect(qbo().requests()).toEqual([])
    expect((await status(t, made[0]!.token)).connection!.status).toBe('active')

    t.advance(CHECK_EVERY_MS + 1)
    await runDueJobs(t)
    expect((await status(t, made[0]!.token)).connection).toMatchObject({
      status: 'revoked',
      lastError: { code: 'connection_revoked' },
    })
  })
})

describe('GET /v1/status', () => {
  test('100 concurrent reads of a connection due a check only read; the check job makes the one provider call', async () => {
    const { made, release: letGo } = await tenants('status', 1)
    const { token, connection } = made[0]!
    const watch = watchChecks(emu.registry)
    const instance = secondInstance(t, watch.providers)
    const reader = await listen(instance.app.fetch)
    const snapshot = async () => ({
      connection: await t.db.get('SELECT * FROM connections WHERE id = ?', [connection.id]),
      jobs: await t.db.get('SELECT count(*) AS n, max(updated_at) AS at FROM jobs'),
    })
    try {
      await t.services.periodic.ensure()
      t.advance(ROUTINE_CHECK_EVERY_MS + 1) // due a routine check
      await pollsJustRan(t, connection.id) // and no polling pass
      qbo().clearRequests()
      const before = await snapshot()
      const reads = await Promise.all(
        Array.from({ length: 100 }, () =>
          fetch(`${reader.url}/v1/status`, { headers: { authorization: `Bearer ${token}` } }),
        ),
      )
      expect(reads.filter((r) => r.status !== 200)).toEqual([])
      const bodies = (await Promise.all(reads.map((r) => r.json()))) as { connection: { status: string } }[]
      expect(bodies.every((b) => b.connection.status === 'active')).toBe(true)
      expect(watch.calls.started).toBe(0) // no read asked QuickBooks
      expect(await snapshot()).toEqual(before) // nor wrote anything, nor queued a job

      await runDueJobs(instance) // the scan queues the routine check, a worker runs it
      expect(watch.calls).toEqual({ started: 1, ended: 1 })
      const calls = qbo().requests(connection.organisation.id) // the company's API, not its token endpoint
      expect(calls.map((r) => r.status)).toEqual([200])
      expect((await status(t, token)).connection).toMatchObject({ status: 'active', lastError: null })
    } finally {
      await reader.close()
      instance.close()
      await letGo()
    }
  })
})
