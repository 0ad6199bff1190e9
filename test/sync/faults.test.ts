import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ProviderId } from '../../shared/providers.ts'
import { createApp } from '../../server/app.ts'
import { openDb } from '../../server/db/client.ts'
import { createLogger } from '../../server/logging/logger.ts'
import type { Worker } from '../../server/sync/worker.ts'
import { createFaultQueue, faultRateRoutes } from '../emulators/common/faults.ts'
import { bulkTenant, type BulkTenant } from '../fixtures/bulk-tenant.ts'
import { providerInvoices } from '../fixtures/provider-invoices.ts'
import { payEach } from '../fixtures/pay-each.ts'
import { expectEachPaymentOnce } from '../fixtures/payments.ts'
import { providerPayments } from '../fixtures/provider-payments.ts'
import { expectEachSyncedOnce } from '../fixtures/synced-once.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { startEmulatedProviders } from '../helpers/providers.ts'

/**
 * Faults: with one API call in five failing at random (500, 503, a reset, a timeout, or the write
 * applied and its answer lost), a bulk sync on each provider ends with every invoice synced and
 * none twice at the provider. The emulators' clocks and the engine's limits run ten times faster;
 * the worker is a second instance of the app on the test's database with the real clock (the test
 * app's own clock is frozen).
 */
const SCALE = 10
const RATE = 0.2
let emu: Awaited<ReturnType<typeof startEmulatedProviders>>
let t: TestApp
let second: { db: ReturnType<typeof openDb>; worker: Worker }
// Xero records 50 payments a request and QuickBooks 30; Sage one a request.
const PAYMENT_CASES = [
  { provider: 'xero' as const, payments: 150 },
  { provider: 'quickbooks' as const, payments: 90 },
  { provider: 'sage' as const, payments: 30 },
]
const payTenants = new Map<ProviderId, BulkTenant>()

beforeAll(async () => {
  emu = await startEmulatedProviders(undefined, undefined, { scale: SCALE })
  t = await createTestApp({}, { providers: emu.registry })
  const db = openDb(t.config.database)
  const { services } = createApp({
    config: { ...t.config, rateLimitTimeScale: 1 / SCALE },
    db,
    log: createLogger({ level: 'error', sink: () => undefined }),
    providers: emu.registry,
  })
  second = { db, worker: services.sync.worker({ owner: 'faults', concurrency: 3, pollMs: 200 }) }
  // The payment cases' tenants, set up before any case makes a provider pause: a pause is written
  // on the second app's real clock, and this app's frozen one would read it as never ending.
  for (const { provider, payments } of PAYMENT_CASES)
    payTenants.set(
      provider,
      await bulkTenant(t, provider, {
        tenant: `faults-pay-${provider}`,
        prefix: `FP${provider.slice(0, 2).toUpperCase()}`,
        customers: 3,
        invoices: payments,
      }),
    )
})
afterAll(async () => {
  await second.worker.stop()
  second.db.close()
  t.close()
  await emu.close()
})

const control = (provider: ProviderId) => emu.handles[provider]!.control

describe.each([
  // Xero batches 50 and QuickBooks 30 a request; Sage takes one invoice a request.
  { provider: 'xero' as const, invoices: 300, customers: 6 },
  { provider: 'quickbooks' as const, invoices: 240, customers: 6 },
  { provider: 'sage' as const, invoices: 60, customers: 4 },
])('$provider, one call in five failing', ({ provider, invoices, customers }) => {
  test('every invoice ends synced, none twice at the provider', async () => {
    const tenant = await bulkTenant(t, provider, {
      tenant: `faults-${provider}`,
      prefix: `F${provider.slice(0, 2).toUpperCase()}`,
      customers,
      invoices,
    })
    control(provider).setFaultRate({ rate: RATE, seed: 7 })
    let served: Record<string, number>
    try {
      expect(await t.services.sync.bulkPush(tenant.tenant)).toMatchObject({ invoices })
      second.worker.start()
      // Idle means nothing is due: a job backing off is still queued, so wait for the queue too.
      for (;;) {
        await second.worker.whenIdle()
        const left = await t.db.get<{ n: number }>(
          "SELECT count(*) AS n FROM jobs WHERE tenant_id = ? AND state IN ('queued', 'running')",
          [tenant.tenant],
        )
        if (left!.n === 0) break
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    } finally {
      served = control(provider).faultsServed()
      control(provider).setFaultRate(null)
      await second.worker.stop()
    }
    const total = Object.values(served).reduce((a, b) => a + b, 0)
    expect(total).toBeGreaterThan(0)
    expect(
      await t.db.all(
        "SELECT state, attempts, last_error FROM jobs WHERE tenant_id = ? AND state <> 'succeeded'",
        [tenant.tenant],
      ),
    ).toEqual([])
    await expectEachSyncedOnce(tenant, providerInvoices(emu.handles, provider, tenant.organisationId))
  }, 120_000)
})

describe.each(PAYMENT_CASES)('$provider payments, one call in five failing', ({ provider, payments }) => {
  test('every payment ends at the provider once against its invoice, none lost', async () => {
    const tenant = payTenants.get(provider)!
    // The invoices are not posted yet: each payment job posts its batch's invoices first.
    const paymentIds = await payEach(t, tenant)
    control(provider).setFaultRate({ rate: RATE, seed: 11 })
    let served: Record<string, number>
    try {
      const { run } = await t.services.sync.bulk.start(tenant.tenant, 'payments', 'system')
      expect(run.progress.total).toBe(payments)
      second.worker.start()
      await settled(tenant.tenant)
    } finally {
      served = control(provider).faultsServed()
      control(provider).setFaultRate(null)
      await second.worker.stop()
    }
    expect(Object.values(served).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
    expect(
      await t.db.all(
        "SELECT kind, state, attempts, last_error FROM jobs WHERE tenant_id = ? AND state <> 'succeeded'",
        [tenant.tenant],
      ),
    ).toEqual([])
    await expectEachPaymentOnce(
      t,
      tenant,
      paymentIds,
      providerPayments(emu.handles, provider, tenant.organisationId),
    )
    await expectEachSyncedOnce(tenant, providerInvoices(emu.handles, provider, tenant.organisationId))
  }, 120_000)
})

/** Idle means nothing is due: a job backing off is still queued, so wait for the tenant's queue too. */
async function settled(tenantId: string) {
  for (;;) {
    await second.worker.whenIdle()
    const left = await t.db.get<{ n: number }>(
      "SELECT count(*) AS n FROM jobs WHERE tenant_id = ? AND state IN ('queued', 'running')",
      [tenantId],
    )
    if (left!.n === 0) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

test('random faults are the same for the same seed, set and read through the control API', async () => {
  const faults = createFaultQueue()
  const app = new Hono()
  app.route(
    '/__control/faults/rate',
    faultRateRoutes({ setFaultRate: (r) => faults.setRate(r), faultsServed: () => faults.served() }),
  )
  app.use(
    '/api/*',
    faults.middleware((status) => new Response(null, { status }), { rated: true }),
  )
  app.get('/api/thing', (c) => c.text('ok'))
  const statuses = async (seed: number) => {
    const set = await app.request('/__control/faults/rate', {
      method: 'POST',
      body: JSON.stringify({ rate: 0.3, seed, kinds: ['500', '503'] }),
    })
    expect(set.status).toBe(200)
    const seen = []
    for (let i = 0; i < 200; i++) seen.push((await app.request('/api/thing')).status)
    return seen
  }
  const first = await statuses(11)
  expect(await statuses(11)).toEqual(first)
  expect(await statuses(12)).not.toEqual(first)
  const failed = first.filter((s) => s !== 200).length
  expect(failed).toBeGreaterThan(30)
  expect(failed).toBeLessThan(90)
  const served = (await (await app.request('/__control/faults/rate')).json()) as {
    served: Record<string, number>
  }
  expect(Object.keys(served.served).sort()).toEqual(['500', '503'])
  expect(
    (await app.request('/__control/faults/rate', { method: 'POST', body: '{"rate":2,"seed":1}' })).status,
  ).toBe(400)
  expect((await app.request('/__control/faults/rate', { method: 'DELETE' })).status).toBe(200)
  expect((await app.request('/api/thing')).status).toBe(200)
})
