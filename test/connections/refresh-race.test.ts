import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { beforeAll, describe, expect, test } from 'vitest'
import { ERRORS } from '../../shared/errors.ts'
import { createTokenAccess, MAX_REFRESH_ROUNDS } from '../../server/connections/token-access.ts'
import { createTokenStore } from '../../server/connections/token-store.ts'
import { createTokenCipher } from '../../server/crypto/token-cipher.ts'
import type { Db } from '../../server/db/client.ts'
import { createLogger } from '../../server/logging/logger.ts'
import type { TestApp } from '../helpers/app.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { connected } from './support.ts'

const ctx = useEmulatedApp(['xero', 'sage'])
let emu: typeof ctx.emu
let t: TestApp
beforeAll(() => {
  ;({ emu, t } = ctx)
})

/** A BFF process of its own on the same database file, ready to fire on "go". */
function worker(connectionId: string, count: number) {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, '..', 'fixtures', 'refresh-worker.ts'), connectionId, String(count)],
    {
      env: {
        ...process.env,
        ...emu.env,
        NODE_ENV: 'test',
        DATABASE_URL: t.config.database.url,
        LOG_LEVEL: 'error',
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  return {
    ready: lines.next(),
    go: () => child.stdin.write('go\n'),
    result: lines.next().then((l) => JSON.parse(l.value as string) as string[]),
  }
}

describe.each(['xero', 'sage'] as const)('refresh race on %s', (provider) => {
  test('50 concurrent calls over two processes: exactly one refresh, no invalid_grant', async () => {
    const token = await t.session({ tenant: `race-${provider}`, sub: 'racer' })
    const { id } = await connected(t, token, provider)
    // The access token is due for a refresh for everyone at once.
    await t.db.run('UPDATE connections SET access_expires_at = 0 WHERE id = ?', [id])
    const log = emu.handles[provider]!.control
    log.clearRequests()

    const workers = [worker(id, 25), worker(id, 25)]
    await Promise.all(workers.map((w) => w.ready))
    for (const w of workers) w.go()
    const results = (await Promise.all(workers.map((w) => w.result))).flat()

    expect(results).toHaveLength(50)
    expect(results.filter((r) => r !== 'ok')).toEqual([])
    const tokenCalls = log.requests().filter((r) => r.method === 'POST' && /token$/.test(r.path))
    expect(tokenCalls).toHaveLength(1)
    expect(tokenCalls[0]!.body).toContain('grant_type=refresh_token')
    expect(tokenCalls.filter((r) => r.status !== 200)).toEqual([])
    const row = await t.db.get<{ token_version: number; lease_owner: string | null }>(
      'SELECT token_version, lease_owner FROM connections WHERE id = ?',
      [id],
    )
    expect(row).toEqual({ token_version: 2, lease_owner: null })
  }, 60_000)
})

describe('waiting for another process’s refresh lease has a deadline', () => {
  const TTL = 1_000
  const MARGIN = 500
  const far = () => t.now() + 1_000 * TTL

  /**
   * The token access of another process, with a short lease, on a clock that moves on by `step`
   * at every reading, so waits pass in a few polls rather than in seconds.
   */
  function otherProcess(step: number, db: Db = t.db) {
    let clock = t.now()
    const tokens = createTokenAccess({
      db,
      store: createTokenStore(createTokenCipher(t.config.tokenKeys)),
      providers: emu.registry,
      now: () => (clock += step),
      log: createLogger({ level: 'error', sink: () => undefined }),
      lease: { ttlMs: TTL, marginMs: MARGIN },
    })
    return { tokens, clock: () => clock }
  }

  /** A Sage connection whose token is due for a refresh, with the lease as `lease` leaves it. */
  async function dueConnection(tenant: string, lease: { owner: string; expiresAt: number | null }) {
    const token = await t.session({ tenant, sub: 'a' })
    const { id } = await connected(t, token, 'sage')
    await t.db.run(
      'UPDATE connections SET access_expires_at = 0, lease_owner = ?, lease_expires_at = ? WHERE id = ?',
      [lease.owner, lease.expiresAt, id],
    )
    emu.handles.sage!.control.clearRequests()
    return id
  }
  const row = (id: string) =>
    t.db.get<{ lease_owner: string | null; token_version: number }>(
      'SELECT lease_owner, token_version FROM connections WHERE id = ?',
      [id],
    )
  const tokenCalls = () =>
    emu.handles.sage!.control.requests().filter((r) => r.method === 'POST' && /token$/.test(r.path))

  test('a holder stuck past its lease’s lifetime: the waiter gives up after TTL + margin with a retryable error', async () => {
    // A lease running far past this process's TTL: a holder with a clock ahead, or stuck with a longer lease.
    const id = await dueConnection('lease-stuck', { owner: 'stuck:1', expiresAt: far() })
    const other = otherProcess(100)
    const started = other.clock()
    await expect(other.tokens.accessToken(id)).rejects.toMatchObject({ code: 'connection_refresh_timeout' })
    expect(other.clock()).toBeGreaterThanOrEqual(started + TTL + MARGIN)
    expect(ERRORS.connection_refresh_timeout.retryable).toBe(true)
    expect(tokenCalls()).toEqual([])
    expect((await row(id))!.lease_owner).toBe('stuck:1') // nothing taken from a holder still in time
  })

  test('a lease whose holder died is taken over once it expires, and the refresh happens once', async () => {
    const id = await dueConnection('lease-dead', { owner: 'dead:1', expiresAt: t.now() + TTL })
    const before = (await row(id))!.token_version
    const other = otherProcess(100)
    expect(await other.tokens.accessToken(id)).toBeTruthy()
    expect(tokenCalls()).toHaveLength(1)
    expect(await row(id)).toEqual({ lease_owner: null, token_version: before + 1 })
  })

  test('a lease with no expiry counts as expired: taken over, not spun on', async () => {
    const id = await dueConnection('lease-null', { owner: 'odd:1', expiresAt: null })
    const other = otherProcess(0)
    expect(await other.tokens.accessToken(id)).toBeTruthy()
    expect(tokenCalls()).toHaveLength(1)
  })

  test('a rival that wins the lease every round: the refresh gives up after a bounded number of rounds', async () => {
    const id = await dueConnection('lease-rival', { owner: '', expiresAt: null })
    await t.db.run('UPDATE connections SET lease_owner = NULL WHERE id = ?', [id])
    let tries = 0
    // Just before each of our attempts the rival takes the lease, and it lets go (its refresh failed)
    // just after: every wait ends at once and no round finds a new token.
    const rivalled: Db = {
      ...t.db,
      async run(sql, args) {
        if (!sql.includes('SET lease_owner = ?, lease_expires_at = ?')) return t.db.run(sql, args)
        tries++
        await t.db.run('UPDATE connections SET lease_owner = ?, lease_expires_at = ? WHERE id = ?', [
          'rival:1',
          far(),
          id,
        ])
        const ours = await t.db.run(sql, args)
        await t.db.run('UPDATE connections SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ?', [
          id,
        ])
        return ours
      },
    }
    const other = otherProcess(0, rivalled) // a frozen clock: only the bound on rounds can end this
    await expect(other.tokens.accessToken(id)).rejects.toMatchObject({ code: 'connection_refresh_timeout' })
    expect(tries).toBe(MAX_REFRESH_ROUNDS)
    expect(tokenCalls()).toEqual([])
  })
})
