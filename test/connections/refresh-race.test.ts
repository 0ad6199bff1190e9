import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { beforeAll, describe, expect, test } from 'vitest'
import type { TestApp } from '../helpers/app.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { connect } from './flow.ts'

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
    const { status } = await connect(t, token, provider)
    const id = status.connection!.id
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
