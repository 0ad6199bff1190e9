import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { INSTALLATION_TENANT } from '../../server/periodic.ts'
import { queueDb } from './support.ts'

const script = join(import.meta.dirname, '..', 'fixtures', 'periodic-worker.ts')
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
