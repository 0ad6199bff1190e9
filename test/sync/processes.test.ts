import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { createQueue } from '../../server/sync/queue.ts'
import { queueDb } from './support.ts'

const script = join(import.meta.dirname, '..', 'fixtures', 'queue-worker.ts')
let t: Awaited<ReturnType<typeof queueDb>>

beforeEach(async () => {
  t = await queueDb()
  await t.db.exec('CREATE TABLE done (job_id TEXT NOT NULL, owner TEXT NOT NULL)')
})
afterEach(() => t.close())

const startWorker = (owner: string, leaseMs: number, mode = 'fast') => {
  const child = spawn(process.execPath, [script, t.url, owner, String(leaseMs), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const started = once(child.stdout, 'data')
  return { child, started }
}
const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit')

async function enqueue(n: number) {
  const queue = createQueue({ db: t.db, now: Date.now })
  await t.db.transaction(async (tx) => {
    for (let i = 0; i < n; i++)
      await queue.enqueue(tx, { kind: 'push', tenantId: t.tenantId, payload: { i } })
  })
}

async function expectEachJobDoneOnce(n: number) {
  expect(await t.db.get("SELECT count(*) AS n FROM jobs WHERE state = 'succeeded'")).toEqual({ n })
  expect(await t.db.get('SELECT count(*) AS n, count(DISTINCT job_id) AS jobs FROM done')).toEqual({
    n,
    jobs: n,
  })
}

test('three processes drain one queue, each job done exactly once', async () => {
  const workers = ['p1', 'p2', 'p3'].map((owner) => startWorker(owner, 30_000, 'slow'))
  await Promise.all(workers.map((w) => w.started))
  await enqueue(300)
  await Promise.all(workers.map((w) => exited(w.child)))
  expect(workers.map((w) => w.child.exitCode)).toEqual([0, 0, 0])
  await expectEachJobDoneOnce(300)
  const owners = await t.db.all<{ owner: string }>('SELECT DISTINCT owner FROM done')
  expect(owners.length).toBeGreaterThan(1)
}, 60_000)

test('a worker killed mid-run loses nothing: its leases expire and another finishes the work', async () => {
  await enqueue(200)
  const victim = startWorker('victim', 400, 'slow')
  await victim.started
  // Kill it once it has finished some jobs and holds others.
  while (((await t.db.get<{ n: number }>('SELECT count(*) AS n FROM done'))?.n ?? 0) < 20)
    await new Promise((resolve) => setTimeout(resolve, 10))
  victim.child.kill('SIGKILL')
  await exited(victim.child)
  const held = await t.db.get<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE state = 'running'")
  expect(held!.n).toBeGreaterThan(0)
  const rescuer = startWorker('rescuer', 400)
  await exited(rescuer.child)
  expect(rescuer.child.exitCode).toBe(0)
  await expectEachJobDoneOnce(200)
  expect(await t.db.get('SELECT count(*) AS n FROM jobs WHERE attempts > 1')).toEqual({ n: held!.n })
}, 60_000)
