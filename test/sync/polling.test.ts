import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ProviderId } from '../../shared/providers.ts'
import { POLL_JOB, RECONCILE_JOB } from '../../server/sync/polling.ts'
import type { Worker } from '../../server/sync/worker.ts'
import type { BulkTenant } from '../fixtures/bulk-tenant.ts'
import { payAtProvider } from '../fixtures/provider-payments.ts'
import { livePayments, providerIdOf, pushedTenant } from '../fixtures/pushed-tenant.ts'
import { useEmulatedApp } from '../helpers/providers.ts'

/**
 * The polling backstop: with no webhook at all, a payment entered in the provider is found by the
 * light pass (the adapter's change feed from the stored cursor) and applied once, like a webhook's
 * event; a pass with nothing new stores nothing; the next pass waits for its interval; and a change
 * the feed does not show is caught by the daily reconciliation, which names every open invoice.
 */

const HOUR = 3_600_000

describe.each(['xero', 'quickbooks', 'sage'] as const)('%s', (provider: ProviderId) => {
  // An app of its own: the tests move its clock by days.
  const ctx = useEmulatedApp([provider])
  let worker: Worker
  beforeAll(() => {
    worker = ctx.t.services.sync.worker({ owner: 'polling-worker', pollMs: 3_600_000 })
    worker.start()
  })
  afterAll(async () => {
    await worker.stop()
  })
  let tenant: BulkTenant
  const payments = (invoiceId: string) => livePayments(ctx.t, invoiceId)
  const jobs = (kind: string) =>
    ctx.t.db.all<{ state: string }>('SELECT state FROM jobs WHERE kind = ? AND connection_id = ?', [
      kind,
      tenant.connectionId,
    ])

  const payThere = (at: string, amount: number) =>
    payAtProvider(ctx.emu.handles, provider, tenant.organisationId, at, amount)

  /** The periodic sweep queues what is due (every connection's); the worker runs it all. Answers this connection's passes run. */
  async function sweep() {
    const ran = async () => (await jobs(POLL_JOB)).length + (await jobs(RECONCILE_JOB)).length
    const before = await ran()
    await ctx.t.services.polling.enqueueDue()
    await worker.whenIdle()
    return (await ran()) - before
  }

  beforeAll(async () => {
    tenant = await pushedTenant(ctx.t, worker, provider, {
      tenant: `poll-${provider}`,
      prefix: `PL${provider.slice(0, 2).toUpperCase()}`,
      customers: 1,
      invoices: 2,
    })
    // The first sweep: the light pass reads everything since the connection was made (our own pushes).
    await sweep()
  })

  test('a payment entered there with no webhook is found by the light pass and recorded once', async () => {
    const id = tenant.invoiceIds[0]!
    payThere(await providerIdOf(ctx.t, tenant, id), 7.5)
    // Not yet due: the pass ran a moment ago.
    expect(await sweep()).toBe(0)
    expect(await payments(id)).toEqual([])

    ctx.t.advance(ctx.t.services.polling.lightEveryMs(ctx.emu.registry.get(provider)!))
    expect(await sweep()).toBe(1)
    expect(await payments(id)).toEqual([{ origin: 'provider', amount_minor: 750 }])
    expect((await jobs(POLL_JOB)).every((j) => j.state === 'succeeded')).toBe(true)

    // The next pass resumes from its cursor: nothing new, nothing stored, nothing recorded again.
    const events = async () =>
      (await ctx.t.db.get<{ n: number }>(
        'SELECT count(*) AS n FROM provider_events WHERE provider = ? AND organisation_id = ?',
        [provider, tenant.organisationId],
      ))!.n
    const before = await events()
    ctx.t.advance(ctx.t.services.polling.lightEveryMs(ctx.emu.registry.get(provider)!))
    expect(await sweep()).toBe(1)
    expect(await events()).toBe(before)
    expect(await payments(id)).toEqual([{ origin: 'provider', amount_minor: 750 }])
  })

  test('a change the feed does not show is caught by the daily reconciliation', async () => {
    const id = tenant.invoiceIds[1]!
    // The feed misses it: its cursor is moved past the change (as Xero's UpdatedDateUTC sometimes is not bumped).
    payThere(await providerIdOf(ctx.t, tenant, id), 3)
    await ctx.t.db.run("UPDATE poll_cursors SET cursor = ? WHERE connection_id = ? AND pass = 'light'", [
      new Date(Date.now() + HOUR).toISOString(),
      tenant.connectionId,
    ])
    ctx.t.advance(ctx.t.services.polling.lightEveryMs(ctx.emu.registry.get(provider)!))
    await sweep()
    expect(await payments(id)).toEqual([])

    ctx.t.advance(24 * HOUR)
    await sweep()
    expect((await jobs(RECONCILE_JOB)).map((j) => j.state)).toContain('succeeded')
    expect(await payments(id)).toEqual([{ origin: 'provider', amount_minor: 300 }])
  })
})

describe('the light pass', () => {
  const ctx = useEmulatedApp(['xero', 'sage'])
  test('spends at most a twentieth of the daily budget', () => {
    const { polling } = ctx.t.services
    const xero = ctx.emu.registry.get('xero')!
    const sage = ctx.emu.registry.get('sage')!
    const day = 24 * HOUR
    const everyXero = polling.lightEveryMs(xero)
    const everySage = polling.lightEveryMs(sage)
    // Each provider's light passes, a day of them, spend at most 5% of its daily calls.
    expect((day / everySage) * sage.sync!.changes.callsPerPass).toBeLessThanOrEqual(
      0.05 * sage.facts.limits.perDay!,
    )
    expect((day / everyXero) * xero.sync!.changes.callsPerPass).toBeLessThanOrEqual(
      0.05 * xero.facts.limits.perDay!,
    )
    expect(everySage).toBeGreaterThanOrEqual(5 * 60_000)
    // With the day's reconciliation at its allowance, polling stays within a tenth of the budget.
    for (const adapter of [xero, sage]) {
      const light = (day / polling.lightEveryMs(adapter)) * adapter.sync!.changes.callsPerPass
      const reconcile = polling.reconcilePerDay(adapter) / adapter.sync!.payments.invoicesPerLookup
      expect(light + reconcile, adapter.id).toBeLessThanOrEqual(0.1 * adapter.facts.limits.perDay!)
    }
  })
})
