// bulk_sync_ceiling_ratio_<provider>, with calls_per_invoice_<provider>, duplicates_<provider> and
// lost_<provider> from the same run: a bulk sync of 2,000 sent invoices of 200 new customers to each
// emulator under its documented limits (Sage 1,000 of 100: see RUNS), the minute played in 3 s
// (scale 20: the emulator's clock and the engine's limiter alike).
//
// The ceiling is what the limits allow for the run's work with the provider's batch size: the
// fewest writes it needs (its invoices and its new customers' contacts, a batch size a request)
// at the per-minute limits, where a provider that meters each batch item as a call (QuickBooks)
// counts items, and a per-minute cap on batches caps it too. Lookups are ours to save, so they
// count against us, not in the ceiling:
//   Xero 2,000 / ((40 + 4) / 60) = 2,727 a minute; QuickBooks 2,000 / max(2,200 / 500, 74 / 40) =
//   455; Sage 1,000 / (1,100 / 100) = 91.
// The contacts' creates are in it because no run can leave them out: Sage has no batch, so its 100
// new customers take a minute of its 100 calls whatever the engine does. The ratio with the
// invoices alone (the ceiling a run with no new customers has) is printed beside it.
import type { ProviderFacts } from '../server/providers/provider.ts'
import { bulkTenant } from '../test/fixtures/bulk-tenant.ts'
import { providerApiCalls, providerInvoices } from '../test/fixtures/provider-invoices.ts'
import type { EmulatedProvider } from '../test/emulators/all.ts'
import { report, round } from './lib.ts'
import { drained, startSyncBench } from './sync-lib.ts'

// Twenty times faster: at sixty, this one process (engine, emulator, database) could not make the
// calls as fast as the limits allow, and the figure would measure the machine, not the engine.
const SCALE = 20
const RUNS: { provider: EmulatedProvider; invoices: number; customers: number }[] = [
  { provider: 'xero', invoices: 2000, customers: 200 },
  { provider: 'quickbooks', invoices: 2000, customers: 200 },
  // Half the size for Sage: its daily budget of 2,500 calls holds 1,000 invoices and their 100
  // customers' lookups and creates, where 2,000 and 200 would run into the next (scaled) day.
  { provider: 'sage', invoices: 1000, customers: 100 },
]

/** Invoices a minute the limits allow for `invoices` and `customers` new contacts (see the top). */
function ceilingPerMinute({ limits, batchSize }: ProviderFacts, invoices: number, customers: number) {
  const requests = Math.ceil(invoices / batchSize) + Math.ceil(customers / batchSize)
  const minutes = Math.max(
    limits.batchItemsMetered ? (invoices + customers) / limits.perMinute : requests / limits.perMinute,
    limits.batchesPerMinute === null ? 0 : requests / limits.batchesPerMinute,
  )
  return invoices / minutes
}

const bench = await startSyncBench({ scale: SCALE, providers: RUNS.map((r) => r.provider) })
try {
  for (const { provider, invoices, customers } of RUNS) {
    const tenant = await bulkTenant(bench.t, provider, {
      tenant: `bench-${provider}`,
      prefix: `B${provider.slice(0, 2).toUpperCase()}`,
      customers,
      invoices,
    })
    const callsBefore = providerApiCalls(bench.emu.handles, provider).length
    const worker = bench.services.sync.worker({ owner: `bench-${provider}`, pollMs: 200 })
    const start = performance.now()
    await bench.t.services.sync.bulkPush(tenant.tenant)
    worker.start()
    await drained(bench, tenant.tenant, worker)
    const elapsedMs = performance.now() - start
    await worker.stop()

    const calls = providerApiCalls(bench.emu.handles, provider).length - callsBefore
    const perMinute = invoices / ((elapsedMs * SCALE) / 60_000)
    const facts = bench.services.providers.get(provider)!.facts
    const ceiling = round(ceilingPerMinute(facts, invoices, customers), 0)
    const invoicesAlone = ceilingPerMinute(facts, invoices, 0)
    const atProvider = providerInvoices(bench.emu.handles, provider, tenant.organisationId)
    const counts = new Map<string, number>()
    for (const i of atProvider) counts.set(i.number, (counts.get(i.number) ?? 0) + 1)
    const states = await tenant.states()
    const lost = tenant.invoiceIds.filter(
      (id, n) => states[id]?.state !== 'synced' || !counts.has(tenant.numbers[n]!),
    )
    if (lost.length > 0) {
      const why = new Map<string, number>()
      for (const id of lost) {
        const s = states[id] as
          { state?: string; error?: { code: string; message: string } | null } | undefined
        const key = `${s?.state}: ${s?.error?.code ?? ''} ${s?.error?.message ?? ''}`
        why.set(key, (why.get(key) ?? 0) + 1)
      }
      process.stderr.write(`  ${provider} not synced: ${JSON.stringify([...why])}\n`)
    }
    const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0)
    process.stderr.write(
      `  ${provider}: ${invoices} invoices in ${round(elapsedMs / 1000, 2)} s (${round((elapsedMs * SCALE) / 60_000, 2)} provider minutes), ${calls} calls; ${round(perMinute / invoicesAlone, 3)} of the ${round(invoicesAlone, 0)} a minute the invoices alone would allow\n`,
    )
    report({
      name: `bulk_sync_ceiling_ratio_${provider}`,
      value: round(perMinute, 0),
      unit: 'invoices/min',
      baseline: ceiling,
      goal: 'ratio >= 0.9',
    })
    report({
      name: `calls_per_invoice_${provider}`,
      value: round(calls / invoices, 3),
      unit: 'calls/invoice',
      baseline: round(1 / bench.services.providers.get(provider)!.facts.batchSize, 3),
      goal:
        provider === 'xero'
          ? 'value <= 0.05 (baseline: one batch per batch size, no contacts)'
          : 'baseline: one batch per batch size, no contacts',
    })
    report({
      name: `duplicates_${provider}`,
      value: duplicates,
      unit: 'invoices',
      baseline: invoices,
      goal: 'value = 0',
    })
    report({
      name: `lost_${provider}`,
      value: lost.length,
      unit: 'invoices',
      baseline: invoices,
      goal: 'value = 0',
    })
  }
} finally {
  await bench.close()
}
