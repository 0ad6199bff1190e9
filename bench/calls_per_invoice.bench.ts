// calls_per_invoice_xero: a bulk sync of 2,000 sent invoices of 200 new customers to the Xero
// emulator, counting the API calls the emulator saw (contacts included) per invoice. Baseline: the
// floor the invoice batches alone allow (one call per facts.batchSize invoices), from the same run.
// Also duplicates_xero and lost_xero (invoices at Xero more than once, or not linked here): goal 0.
// The app's and the emulator's clocks move a minute whenever the queue is idle with work left
// (Xero's 60 calls a minute), so the run takes seconds and the limits stay as documented.
import { loadConfig } from '../server/config.ts'
import { createProviderRegistry } from '../server/providers/registry.ts'
import { XERO_FACTS } from '../server/providers/xero/facts.ts'
import { syncRepo } from '../server/sync/sync-repo.ts'
import { connected } from '../test/connections/support.ts'
import { startAllEmulators } from '../test/emulators/all.ts'
import { createTestApp } from '../test/helpers/app.ts'
import { report, round } from './lib.ts'

const INVOICES = 2000
const CUSTOMERS = 200
const TENANT = 'bench-bulk'

const emulators = await startAllEmulators({
  redirectUris: ['http://localhost:3000/v1/oauth/callback'],
  providers: ['xero'],
})
const config = loadConfig({ NODE_ENV: 'test', ...emulators.env })
const t = await createTestApp({}, { providers: createProviderRegistry(config.providers) })
try {
  const admin = await t.session({ tenant: TENANT, role: 'admin', sub: 'bench-admin' })
  const connection = await connected(t, admin, 'xero')
  const key = await t.apiKey(TENANT)
  await t.db.run('INSERT INTO tenant_settings (tenant_id, auto_sync_on_send, updated_at) VALUES (?, 0, ?)', [
    TENANT,
    t.now(),
  ])
  await syncRepo.setMapping(
    t.db,
    {
      connectionId: connection.id,
      kind: 'default_account',
      key: '*',
      providerRef: '200',
      label: 'Sales',
      by: 'bench',
    },
    t.now(),
  )
  const post = async (path: string, json: unknown) => {
    const res = await t.request(path, { method: 'POST', token: key, json })
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return ((await res.json()) as { id: string }).id
  }
  const numbers: string[] = []
  for (let c = 0; c < CUSTOMERS; c++) {
    const customerId = await post(`/v1/tenants/${TENANT}/customers`, {
      name: `Bench Customer ${c}`,
      email: `ap${c}@bench.example`,
    })
    // Each customer's invoices side by side: the hard case for batching contacts per invoice job.
    for (let i = 0; i < INVOICES / CUSTOMERS; i++) {
      const number = `BENCH-${String(numbers.length).padStart(5, '0')}`
      numbers.push(number)
      await post(`/v1/tenants/${TENANT}/invoices`, {
        number,
        customerId,
        currency: 'GBP',
        issueDate: '2026-11-01',
        dueDate: '2026-11-30',
        status: 'sent',
        lines: [{ description: 'Service', quantity: '1', unitPrice: '100.00', category: 'Labour' }],
      })
    }
  }

  const xero = emulators.handles.xero!.control
  const apiCalls = () => xero.requests().filter((r) => r.path.startsWith('/api.xro/2.0')).length
  const before = apiCalls()
  const { run } = await t.services.sync.bulk.start(TENANT, 'invoices', 'bench')
  const worker = t.services.sync.worker({ owner: 'bench-worker', pollMs: 3_600_000, concurrency: 4 })
  worker.start()
  for (let minute = 0; minute < 30; minute++) {
    await worker.whenIdle()
    if ((await t.services.sync.bulk.get(TENANT, run.id)).finishedAt !== null) break
    t.advance(61_000)
    xero.advanceClock(61_000)
  }
  await worker.stop()
  const calls = apiCalls() - before

  const org = (await t.db.get<{ organisation_id: string }>(
    'SELECT organisation_id FROM connections WHERE id = ?',
    [connection.id],
  ))!.organisation_id
  const seen = new Map<string, number>()
  for (const inv of xero.invoices(org)) seen.set(inv.InvoiceNumber, (seen.get(inv.InvoiceNumber) ?? 0) + 1)
  const duplicates = numbers.filter((n) => (seen.get(n) ?? 0) > 1).length
  const linked = (await t.db.get<{ n: number }>(
    "SELECT count(*) AS n FROM sync_links WHERE connection_id = ? AND record_kind = 'invoice'",
    [connection.id],
  ))!.n
  const lost = numbers.filter((n) => !seen.has(n)).length + (INVOICES - linked)

  const floor = Math.ceil(INVOICES / XERO_FACTS.batchSize) / INVOICES
  report({
    name: 'calls_per_invoice_xero',
    value: round(calls / INVOICES, 4),
    unit: 'calls',
    baseline: round(floor, 4),
    goal: '≤ 0.05 calls an invoice (baseline: the invoice batches alone)',
  })
  for (const [name, value] of [
    ['duplicates_xero', duplicates],
    ['lost_xero', lost],
  ] as const)
    report({
      name,
      value,
      unit: 'invoices',
      baseline: INVOICES,
      ratio: round(value / INVOICES, 4),
      goal: '0',
    })
} finally {
  t.close()
  await emulators.close()
}
