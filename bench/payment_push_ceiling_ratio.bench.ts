// payment_push_ceiling_ratio_<provider>, with payment_calls_<provider>, payment_duplicates_<provider>
// and payment_lost_<provider> from the same run: a bulk run of 1,000 payments (four part payments
// on each of 250 invoices already posted) to each emulator under its documented limits, the minute
// played in 3 s (scale 20: the emulator's clock and the engine's limiter alike).
//
// The ceiling is what the limits allow for the payments' writes with the provider's payment batch:
// their requests at the per-minute limit, where a provider that meters each batch item as a call
// (QuickBooks) counts items, and a per-minute cap on batches caps it too. Reads (QuickBooks reads
// the batch's invoices to refuse an overpayment before sending) are ours to save, so they count
// against us, not in the ceiling:
//   Xero 1,000 / (20 / 60) = 3,000 a minute; QuickBooks 1,000 / max(1,000 / 500, 34 / 40) = 500;
//   Sage 1,000 / (1,000 / 100) = 100.
// Four payments an invoice keep Sage's day (2,500 calls) for the run: its invoices, their
// customers' lookups and creates, and the 1,000 payments fit in one scaled day.
import type { ProviderFacts } from '../server/providers/provider.ts'
import { bulkTenant } from '../test/fixtures/bulk-tenant.ts'
import { payEach } from '../test/fixtures/pay-each.ts'
import { providerApiCalls } from '../test/fixtures/provider-invoices.ts'
import { providerPayments } from '../test/fixtures/provider-payments.ts'
import type { EmulatedProvider } from '../test/emulators/all.ts'
import { syncStates } from '../server/sync/sync-state.ts'
import { report, round } from './lib.ts'
import { drained, startSyncBench } from './sync-lib.ts'

const SCALE = 20
const INVOICES = 250
const EACH = 4
const PROVIDERS: EmulatedProvider[] = ['xero', 'quickbooks', 'sage']

/** Payments a minute the limits allow for `payments` in requests of `batchSize` (see the top). */
function ceilingPerMinute({ limits }: ProviderFacts, batchSize: number, payments: number) {
  const requests = Math.ceil(payments / batchSize)
  const minutes = Math.max(
    limits.batchItemsMetered ? payments / limits.perMinute : requests / limits.perMinute,
    limits.batchesPerMinute === null ? 0 : requests / limits.batchesPerMinute,
  )
  return payments / minutes
}

const bench = await startSyncBench({ scale: SCALE, providers: PROVIDERS })
try {
  for (const provider of PROVIDERS) {
    const tenant = await bulkTenant(bench.t, provider, {
      tenant: `bench-pay-${provider}`,
      prefix: `BP${provider.slice(0, 2).toUpperCase()}`,
      customers: 25,
      invoices: INVOICES,
    })
    const worker = bench.services.sync.worker({ owner: `bench-pay-${provider}`, pollMs: 200 })
    // The invoices first, untimed: the figure is the payments'.
    await bench.t.services.sync.bulkPush(tenant.tenant)
    worker.start()
    await drained(bench, tenant.tenant, worker)
    const paymentIds: string[] = []
    for (let n = 0; n < EACH; n++) paymentIds.push(...(await payEach(bench.t, tenant, '5.00')))
    const payments = paymentIds.length

    const callsBefore = providerApiCalls(bench.emu.handles, provider).length
    const start = performance.now()
    await bench.t.services.sync.bulk.start(tenant.tenant, 'payments', 'system')
    await drained(bench, tenant.tenant, worker)
    const elapsedMs = performance.now() - start
    await worker.stop()

    const calls = providerApiCalls(bench.emu.handles, provider).length - callsBefore
    const perMinute = payments / ((elapsedMs * SCALE) / 60_000)
    const adapter = bench.services.providers.get(provider)!
    const ceiling = ceilingPerMinute(adapter.facts, adapter.sync!.payments.batchSize, payments)

    // Each payment once at the provider, by the link its record holds; none twice, none missing.
    const held = providerPayments(bench.emu.handles, provider, tenant.organisationId)
    const links = new Map(
      (
        await bench.t.db.all<{ record_id: string; provider_id: string }>(
          "SELECT record_id, provider_id FROM sync_links WHERE connection_id = ? AND record_kind = 'payment'",
          [tenant.connectionId],
        )
      ).map((l) => [l.record_id, l.provider_id]),
    )
    const invoicesAt = new Set(
      (
        await bench.t.db.all<{ provider_id: string }>(
          "SELECT provider_id FROM sync_links WHERE connection_id = ? AND record_kind = 'invoice'",
          [tenant.connectionId],
        )
      ).map((l) => l.provider_id),
    )
    const ours = held.filter((h) => invoicesAt.has(h.invoiceId))
    const heldIds = new Set(ours.map((h) => h.id))
    const states = await syncStates(bench.t.db, tenant.tenant, 'payment', paymentIds)
    const lost = paymentIds.filter((id) => states.get(id)?.state !== 'synced' || !heldIds.has(links.get(id)!))
    const duplicates = ours.length - new Set([...links.values()].filter((id) => heldIds.has(id))).size
    if (lost.length > 0) {
      const why = new Map<string, number>()
      for (const id of lost) {
        const s = states.get(id)
        const key = `${s?.state}: ${s?.error?.code ?? ''} ${s?.error?.message ?? ''}`
        why.set(key, (why.get(key) ?? 0) + 1)
      }
      process.stderr.write(`  ${provider} payments not synced: ${JSON.stringify([...why])}\n`)
    }
    process.stderr.write(
      `  ${provider}: ${payments} payments in ${round(elapsedMs / 1000, 2)} s (${round((elapsedMs * SCALE) / 60_000, 2)} provider minutes), ${calls} calls\n`,
    )
    report({
      name: `payment_push_ceiling_ratio_${provider}`,
      value: round(perMinute, 0),
      unit: 'payments/min',
      baseline: round(ceiling, 0),
      goal: 'ratio >= 0.9',
    })
    report({
      name: `payment_calls_${provider}`,
      value: calls,
      unit: 'calls',
      baseline: Math.ceil(payments / adapter.sync!.payments.batchSize),
      goal: 'baseline: one request per payment batch',
    })
    report({
      name: `payment_duplicates_${provider}`,
      value: duplicates,
      unit: 'payments',
      baseline: payments,
      goal: 'value = 0',
    })
    report({
      name: `payment_lost_${provider}`,
      value: lost.length,
      unit: 'payments',
      baseline: payments,
      goal: 'value = 0',
    })
  }
} finally {
  await bench.close()
}
