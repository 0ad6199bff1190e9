import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { INSTALLATION_TENANT } from '../../server/periodic.ts'
import { PERIODIC_EVERY_MS } from '../../server/services.ts'
import { queueDb } from './support.ts'

const script = join(import.meta.dirname, '..', 'fixtures', 'periodic-worker.ts')
const workerMain = join(import.meta.dirname, '..', '..', 'server', 'worker-main.ts')
let t: Awaited<ReturnType<typeof queueDb>>

beforeEach(async () => {
  t = await queueDb()
  await t.db.exec(
    'CREATE TABLE runs (kind TEXT NOT NULL, owner TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL)',
  )
})
afterEach(() => t.close())

test('two processes on one database file: each periodic run happens once, one at a time, and one is always queued', async () => {
  const target = 15
  const children = ['p1', 'p2'].map((owner) =>
    spawn(process.execPath, [script, t.url, owner, '30', String(target)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  )
  const exits = children.map((child) => once(child, 'exit'))
  await Promise.all(exits)
  expect(children.map((c) => c.exitCode)).toEqual([0, 0])

  for (const kind of ['tick_a', 'tick_b']) {
    const runs = await t.db.all<{ owner: string; started_at: number; ended_at: number }>(
      'SELECT owner, started_at, ended_at FROM runs WHERE kind = ? ORDER BY started_at',
      [kind],
    )
    expect(runs.length).toBeGreaterThanOrEqual(target)
    // Never two at once: each run starts after the one before it ended.
    for (let i = 1; i < runs.length; i++)
      expect(runs[i]!.started_at).toBeGreaterThanOrEqual(runs[i - 1]!.ended_at)
    const jobs = await t.db.all<{ state: string; n: number }>(
      'SELECT state, count(*) AS n FROM jobs WHERE kind = ? AND tenant_id = ? GROUP BY state ORDER BY state',
      [kind, INSTALLATION_TENANT],
    )
    // Each job ran once (as many successes as runs) and the next run is queued, once.
    expect(jobs).toEqual([
      { state: 'queued', n: 1 },
      { state: 'succeeded', n: runs.length },
    ])
  }
  const owners = await t.db.all('SELECT DISTINCT owner FROM runs')
  expect(owners.length).toBe(2) // both processes took runs
}, 60_000)

test('two `npm run worker` processes starting at once: each periodic job runs once and its next run is queued once', async () => {
  const env = { ...process.env, NODE_ENV: 'test', DATABASE_URL: t.url, LOG_LEVEL: 'info' }
  const children = [1, 2].map(() =>
    spawn(process.execPath, [workerMain], { env, stdio: ['ignore', 'pipe', 'inherit'] }),
  )
  const exits = children.map((child) => once(child, 'exit'))
  const started = children.map(
    (child) =>
      new Promise<void>((resolve) => {
        let out = ''
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          if (out.includes('"worker started"')) resolve()
        })
      }),
  )
  const kinds = Object.keys(PERIODIC_EVERY_MS)
  const states = () =>
    t.db.all<{ kind: string; state: string; n: number }>(
      'SELECT kind, state, count(*) AS n FROM jobs WHERE tenant_id = ? GROUP BY kind, state ORDER BY kind, state',
      [INSTALLATION_TENANT],
    )
  const each = kinds.sort().flatMap((kind) => [
    { kind, state: 'queued', n: 1 },
    { kind, state: 'succeeded', n: 1 },
  ])
  try {
    await Promise.all(started)
    // Until every kind has run once (the next runs are minutes away, so nothing runs after that).
    const deadline = Date.now() + 30_000
    while (JSON.stringify(await states()) !== JSON.stringify(each) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50))
    // Idle, a worker process stays up until it is told to stop.
    expect(children.map((c) => c.exitCode ?? c.signalCode)).toEqual([null, null])
  } finally {
    for (const child of children) child.kill('SIGTERM')
    await Promise.all(exits)
  }
  expect(children.map((c) => c.exitCode)).toEqual([0, 0])
  expect(await states()).toEqual(each)
}, 60_000)
