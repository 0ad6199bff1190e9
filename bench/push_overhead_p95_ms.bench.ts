// push_overhead_p95_ms: from the host's POST /send to the invoice's state `synced`, minus the time
// the emulator spent answering (the process's fetches to it), one invoice at a time on an idle queue,
// on the Xero emulator. The routes and the worker share one process, as `npm start` runs them, so
// the send's commit wakes the worker at once (no polling delay). Baseline: the p95 of the emulator's
// own answering time for the same pushes.
import { bulkTenant } from '../test/fixtures/bulk-tenant.ts'
import { report, round } from './lib.ts'
import { percentile, startSyncBench, timeFetches } from './sync-lib.ts'

const PUSHES = 60
const fetches = timeFetches()
// Limits sixty times faster, so sixty pushes and their contact fit Xero's minute.
const bench = await startSyncBench({ scale: 60, providers: ['xero'] })
try {
  const tenant = await bulkTenant(bench.t, 'xero', {
    tenant: 'bench-push',
    prefix: 'PO',
    customers: 1,
    invoices: PUSHES + 1,
    status: 'draft',
  })
  await bench.t.db.run('UPDATE tenant_settings SET auto_sync_on_send = 1 WHERE tenant_id = ?', [
    tenant.tenant,
  ])
  const worker = bench.services.sync.worker({ owner: 'bench-push', pollMs: 60_000 })
  worker.start()
  const overheads: number[] = []
  const answering: number[] = []
  for (const [n, id] of tenant.invoiceIds.entries()) {
    const [startMs, fetchedMs] = [performance.now(), fetches.ms]
    const res = await bench.app.request(`/v1/tenants/${tenant.tenant}/invoices/${id}/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.key}` },
    })
    if (res.status !== 200) throw new Error(`send answered ${res.status}: ${await res.text()}`)
    // Synced: its link at the invoice's version (read as fast as the database answers).
    const synced = () =>
      bench.t.db.get<{ n: number }>(
        "SELECT 1 AS n FROM sync_links l JOIN invoices i ON i.id = l.record_id WHERE l.record_kind = 'invoice' AND l.record_id = ? AND l.synced_version = i.version",
        [id],
      )
    while (!(await synced())) {
      if (performance.now() - startMs > 10_000)
        throw new Error(`invoice ${id} is not synced 10 s after its send`)
      await new Promise((resolve) => setImmediate(resolve))
    }
    const elapsed = performance.now() - startMs
    // The first push also creates the customer's contact: a warm-up, left out.
    if (n === 0) continue
    overheads.push(elapsed - (fetches.ms - fetchedMs))
    answering.push(fetches.ms - fetchedMs)
  }
  await worker.stop()
  report({
    name: 'push_overhead_p95_ms',
    value: round(percentile(overheads, 95), 1),
    unit: 'ms',
    baseline: round(percentile(answering, 95), 1),
    goal: 'value < 50 ms (baseline: the emulator answering the same pushes, p95)',
  })
} finally {
  await bench.close()
}
