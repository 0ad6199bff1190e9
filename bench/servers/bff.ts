// The BFF as deployed: temporary libSQL file, migrations, request logging (to /dev/null), a session
// and an active connection, so the routes do their real work. Prints the request to measure, as
// one JSON line. Scenarios: `status` (GET /v1/status, the default) and `status-batch` (POST
// /v1/sync/status for 500 invoices: synced, failed, pending, outdated and never synced alike).
import { serve } from '@hono/node-server'
import { mkdtempSync, openSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { CreateInvoiceSchema } from '../../shared/api/invoices.ts'
import { STATUS_BATCH_MAX } from '../../shared/sync-state.ts'
import { createApp } from '../../server/app.ts'
import { testConfig } from '../../server/config.ts'
import { openDb } from '../../server/db/client.ts'
import { migrate } from '../../server/db/migrate.ts'
import { batchedSink, createLogger } from '../../server/logging/logger.ts'
import { signEmbedToken } from '../../server/auth/embed-token.ts'
import { fiveStates } from '../five-states.ts'
import type { Target } from '../lib.ts'

const scenario = process.argv[2] ?? 'status'
const dir = mkdtempSync(join(tmpdir(), 'll-bench-'))
const config = testConfig({
  database: { url: `file:${join(dir, 'bench.db')}`, busyTimeoutMs: 5000, authToken: undefined },
})
const db = openDb(config.database)
await migrate(db)
const devNull = openSync('/dev/null', 'w')
// The product's own stdout sink (server/logging/logger.ts), pointed at /dev/null: every line written.
const log = createLogger({ level: 'info', sink: batchedSink((chunk) => void writeSync(devNull, chunk)) })
const { app, services } = createApp({ config, db, log })
const embed = await signEmbedToken(config.embedSecret, {
  sub: 'bench',
  tenant: 'bench',
  role: 'admin',
  name: 'Bench',
})
const { token } = await services.identity.exchangeEmbedToken(embed)
const at = Date.now()
// Checked just now, so no connection check falls due during a run.
await db.run(
  `INSERT INTO connections (id, tenant_id, provider, organisation_id, organisation_name, status, connected_by_id,
     connected_by_name, connected_at, last_checked_at, created_at, updated_at)
   VALUES ('con_bench', 'bench', 'xero', 'org-bench', 'Bench Ltd', 'active', 'bench', 'Bench', ?1, ?1, ?1, ?1)`,
  [at],
)

/** 500 invoices, a fifth in each sync state; answers their ids. */
async function seedInvoices(): Promise<string[]> {
  const customer = await services.customers.create('bench', { name: 'Harbour Lights Café' })
  const invoices: { id: string; version: number }[] = []
  for (let i = 0; i < STATUS_BATCH_MAX; i++) {
    const invoice = await services.invoices.create(
      'bench',
      CreateInvoiceSchema.parse({
        number: `INV-${i}`,
        customerId: customer.id,
        currency: 'GBP',
        issueDate: '2026-11-01',
        dueDate: '2026-11-30',
        lines: [{ description: 'Boiler service', quantity: '1', unitPrice: '85.00', taxRate: '20' }],
      }),
    )
    invoices.push(invoice)
  }
  await fiveStates(db, services, { tenantId: 'bench', connectionId: 'con_bench', now: at }, invoices)
  return invoices.map((invoice) => invoice.id)
}

const target: Target =
  scenario === 'status-batch'
    ? {
        path: '/v1/sync/status',
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ invoiceIds: await seedInvoices() }),
      }
    : { path: '/v1/status', method: 'GET', headers: { authorization: `Bearer ${token}` } }

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  const { port } = server.address() as AddressInfo
  process.stdout.write(JSON.stringify({ ...target, url: `http://127.0.0.1:${port}${target.path}` }) + '\n')
})
