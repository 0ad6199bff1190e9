import { setTimeout as delay } from 'node:timers/promises'
import { expect, test } from 'vitest'
import { seededRandom } from '../emulators/common/faults.ts'
import { bulkTenant } from '../fixtures/bulk-tenant.ts'
import { payEach } from '../fixtures/pay-each.ts'
import { expectEachPaymentOnce } from '../fixtures/payments.ts'
import { providerPayments } from '../fixtures/provider-payments.ts'
import { expectEachSyncedOnce } from '../fixtures/synced-once.ts'
import { createTestApp } from '../helpers/app.ts'
import { startEmulatedProviders } from '../helpers/providers.ts'
import { kill, startWorkerProcess, type WorkerProcess } from './crash-workers.ts'

/**
 * Crash safety with real processes: 1,000 sent invoices of three customers bulk-synced to the Xero
 * emulator by `npm run worker` processes on the test's database file, each SIGKILLed at a random
 * point ten times and started again, while the emulator, at one call in ten, applies a write and
 * cuts the connection before its answer. At the end every invoice is at Xero exactly once and says synced
 * (through the status route) with that Xero invoice's id. The same for a bulk run of 500 payments
 * of invoices not yet posted (each job posts its invoices, then their payments): every payment at
 * Xero once against its invoice. The workers run on the real clock (the test app's clock is frozen:
 * it only queues the jobs and reads the state). The cases run at once, each on its own emulator,
 * organisation and database file.
 */
const INVOICES = 1000
const PAYMENTS = 500
const KILLS = 10
/**
 * Xero's limits, with its minute played in 15 s (the emulator's clock and the workers' limiter
 * alike): ten restarts, their lookups and the lost answers need more than Xero's 60 calls a minute.
 */
const SCALE = 4

async function crashRun(workers: number, seed: number, kind: 'invoices' | 'payments' = 'invoices') {
  const emu = await startEmulatedProviders(undefined, ['xero'], { scale: SCALE })
  const t = await createTestApp({}, { providers: emu.registry })
  const xero = emu.handles.xero!
  const alive = new Set<WorkerProcess>()
  try {
    const count = kind === 'invoices' ? INVOICES : PAYMENTS
    const tenant = await bulkTenant(t, 'xero', {
      tenant: `crash-${kind}-${workers}`,
      prefix: `CR${kind === 'invoices' ? 'I' : 'P'}${workers}`,
      customers: 3,
      invoices: count,
    })
    // Payments of invoices not posted yet: each payment job posts its batch's invoices first.
    const paymentIds = kind === 'payments' ? await payEach(t, tenant) : []
    const env = { DATABASE_URL: t.config.database.url, WORKER_LEASE_MS: '1000', ...emu.env }
    const start = () => {
      const worker = startWorkerProcess(env)
      alive.add(worker)
      return worker
    }
    const random = seededRandom(seed)
    if (kind === 'invoices')
      expect(await t.services.sync.bulkPush(tenant.tenant)).toMatchObject({ invoices: INVOICES })
    else
      expect((await t.services.sync.bulk.start(tenant.tenant, 'payments', 'system')).run.progress.total).toBe(
        PAYMENTS,
      )
    const record = kind === 'invoices' ? 'invoice' : 'payment'

    // The setup's own calls to Xero (the mappings read the chart) were stamped by the test app's
    // frozen clock, long before Xero counted them: from the workers' real clock they count from now,
    // as a process on the real clock would have stamped them (else Xero's window holds calls ours
    // has already let go, and its 61st says 429).
    await t.db.run('UPDATE rate_calls SET at = max(at, ?)', [Date.now()])
    // One API call in ten, at random (seeded): the write lands and its answer is lost.
    xero.control.setFaultRate({ rate: 0.1, seed, kinds: ['drop_after'] })
    const linked = async () =>
      (await t.db.get<{ n: number }>(
        'SELECT count(*) AS n FROM sync_links WHERE connection_id = ? AND record_kind = ?',
        [tenant.connectionId, record],
      ))!.n
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let k = 0; k < KILLS; k++) {
          const worker = start()
          await worker.started
          // A random point once the work moves on (so ten lives span it, and none is cut before it starts).
          const before = await linked()
          // Stalled: 20 s with no invoice linked and none of the sync's jobs waiting out a backoff
          // (by the fifth attempt a transient fault may wait up to 16 s before its retry).
          const since = Date.now()
          const nextDue = async () =>
            (await t.db.get<{ at: number | null }>(
              "SELECT min(run_at) AS at FROM jobs WHERE state = 'queued' AND kind IN ('push_invoices', 'push_customers', 'push_payments')",
            ))!.at ?? 0
          while (before < count && (await linked()) === before) {
            if (Date.now() > Math.max(since, await nextDue()) + 20_000)
              throw new Error(
                `no progress in 20 s; jobs ${JSON.stringify(await t.db.all("SELECT state, attempts, run_at, last_error FROM jobs WHERE state <> 'succeeded'"))}, now ${Date.now()}; the worker said:\n${worker.lines.slice(-20).join('\n')}`,
              )
            await delay(20)
          }
          await delay(random() * 250)
          await kill(worker)
          alive.delete(worker)
        }
        await start().started
      }),
    )
    // The sync's jobs (the periodic ones are always queued: each run queues the next).
    const left = () =>
      t.db.all<{ state: string; last_error: string | null }>(
        "SELECT state, attempts, run_at, last_error FROM jobs WHERE state <> 'succeeded' AND kind IN ('push_invoices', 'push_customers', 'push_payments')",
      )
    // Workers in other processes: their progress is polled (bounded, so a stall fails with the jobs' state).
    const deadline = Date.now() + 90_000
    for (let jobs = await left(); jobs.some((j) => j.state === 'queued' || j.state === 'running');) {
      if (Date.now() > deadline) break
      jobs = await delay(50).then(left)
    }
    const workersSaid = () =>
      [...alive].map(
        (w) => `exit ${w.child.exitCode ?? w.child.signalCode}:\n${w.lines.slice(-20).join('\n')}`,
      )
    expect(await left(), `now ${Date.now()}; the workers said:\n${workersSaid().join('\n---\n')}`).toEqual([])

    const api = xero.control.requests().filter((r) => r.path.startsWith('/api.xro/'))
    const dropped = xero.control.faultsServed().drop_after ?? 0
    expect(dropped).toBeGreaterThan(0)
    expect(api.filter((r) => r.status === 599)).toHaveLength(dropped)
    // Every request Xero counted was counted first by the limiter the processes share, killed ones too.
    const metered = await t.db.get<{ n: number }>('SELECT count(*) AS n FROM rate_calls WHERE bucket = ?', [
      `xero:${tenant.organisationId}`,
    ])
    // (A process killed between the two counts none twice at Xero, so the limiter may count more.)
    expect(metered!.n).toBeGreaterThanOrEqual(api.length)
    expect(
      api
        .filter((r) => r.status === 429)
        .map((r) => ({ at: r.at, method: r.method, path: r.path, problem: r.limitProblem })),
    ).toEqual([])
    const atXero = xero.control
      .invoices(tenant.organisationId)
      .map((i) => ({ number: i.InvoiceNumber, id: i.InvoiceID }))
    await expectEachSyncedOnce(tenant, atXero)
    if (kind === 'payments')
      await expectEachPaymentOnce(
        t,
        tenant,
        paymentIds,
        providerPayments(emu.handles, 'xero', tenant.organisationId),
      )
  } finally {
    await Promise.all([...alive].map(kill))
    t.close()
    await emu.close()
  }
}

test.concurrent(
  'one worker process, SIGKILLed ten times: every invoice at Xero once, each synced',
  async () => {
    await crashRun(1, 1)
  },
  150_000,
)

test.concurrent(
  'two worker processes, each SIGKILLed ten times: every invoice at Xero once, each synced',
  async () => {
    await crashRun(2, 2)
  },
  150_000,
)

test.concurrent(
  'a bulk run of 500 payments, its worker SIGKILLed ten times: every payment at Xero once, none lost',
  async () => {
    await crashRun(1, 3, 'payments')
  },
  150_000,
)
