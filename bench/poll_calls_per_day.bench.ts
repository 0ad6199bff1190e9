// poll_calls_per_day_<provider>: the polling backstop's provider calls per connection per day,
// against the provider's daily call budget (QuickBooks has none: its minute limit over a day).
// Measured on each emulator with a connection of INVOICES synced invoices, none paid: the calls of
// three light passes that find nothing new (each due after its interval on the app's clock), and
// of one day's reconciliation (its walk over the open invoices, within its allowance), counted in
// the emulator's request log; a day holds (day / interval) light passes and one reconciliation.
// Worst case: no webhook keys configured, so the light pass runs as often as the budget allows.
import type { ProviderId } from '../shared/providers.ts'
import { bulkTenant } from '../test/fixtures/bulk-tenant.ts'
import { providerApiCalls } from '../test/fixtures/provider-invoices.ts'
import { createTestApp } from '../test/helpers/app.ts'
import { startEmulatedProviders } from '../test/helpers/providers.ts'
import { report, round } from './lib.ts'

const DAY = 86_400_000
const INVOICES = 60
const LIGHT_PASSES = 3

for (const provider of ['xero', 'quickbooks', 'sage'] as const satisfies ProviderId[]) {
  const emu = await startEmulatedProviders(undefined, [provider])
  const t = await createTestApp({ logLevel: 'warn' }, { providers: emu.registry })
  const worker = t.services.sync.worker({ owner: 'poll-bench', pollMs: 3_600_000 })
  worker.start()
  try {
    const tenant = await bulkTenant(t, provider, {
      tenant: `poll-${provider}`,
      prefix: `PB${provider.slice(0, 2).toUpperCase()}`,
      customers: 3,
      invoices: INVOICES,
    })
    await t.services.sync.bulkPush(tenant.tenant)
    await worker.whenIdle()
    const adapter = emu.registry.get(provider)!
    const every = t.services.polling.lightEveryMs(adapter)
    const calls = () => providerApiCalls(emu.handles, provider).length
    // The app's clock and the emulator's move together (the emulator counts its limits on its own).
    const advance = (ms: number) => {
      t.advance(ms)
      emu.handles[provider]!.control.clock.advance(ms)
    }
    const sweep = async () => {
      const before = calls()
      await t.services.polling.enqueueDue()
      await worker.whenIdle()
      return calls() - before
    }
    // The first pass reads what the sync itself wrote, once the push's minute is over (polling
    // takes only half the limits, so it waits while a bulk push fills them).
    advance(60_000)
    await sweep()
    let light = 0
    for (let i = 0; i < LIGHT_PASSES; i++) {
      advance(every)
      light += await sweep()
    }
    const perLight = light / LIGHT_PASSES
    // A day on: the reconciliation is due, with a light pass beside it.
    advance(DAY)
    const reconcile = (await sweep()) - perLight
    const { perDay, perMinute } = adapter.facts.limits
    const budget = perDay ?? perMinute * 1440
    report({
      name: `poll_calls_per_day_${provider}`,
      value: round((DAY / every) * perLight + reconcile, 0),
      unit: 'calls',
      baseline: budget,
      goal: `ratio <= 0.1 of ${provider}'s daily call budget (issue 12); light pass every ${round(every / 60_000)} min, ${round(perLight)} calls each, reconciliation ${reconcile} calls for ${INVOICES} open invoices`,
    })
  } finally {
    await worker.stop()
    t.close()
    await emu.close()
  }
}
