// check_scan_ms: the scan the check_connections job runs every minute (server/connections/checks.ts),
// on 10,000 active connections none of which is due, beside a day of finished check jobs, against a
// plain count of the active connections as baseline. disconnect_url_visit_us: a repeated QuickBooks
// Disconnect URL notice (the check is already requested and queued, so it only reads), against a
// point select by primary key.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../server/app.ts'
import { testConfig } from '../server/config.ts'
import { openDb } from '../server/db/client.ts'
import { migrate } from '../server/db/migrate.ts'
import { createLogger } from '../server/logging/logger.ts'
import { report, round } from './lib.ts'

const CONNECTIONS = 10_000
const FINISHED_CHECKS = 100_000
const SCANS = 50
const VISITS = 2_000

const dir = mkdtempSync(join(tmpdir(), 'll-checkbench-'))
const database = { url: `file:${join(dir, 'bench.db')}`, busyTimeoutMs: 5000, authToken: undefined }
const db = openDb(database)
try {
  await migrate(db)
  const now = Date.now()
  await db.transaction(async (tx) => {
    for (let i = 0; i < CONNECTIONS; i++) {
      await tx.run("INSERT INTO tenants (id, name, created_at, updated_at) VALUES (?, 't', 0, 0)", [`t${i}`])
      await tx.run(
        `INSERT INTO connections (id, tenant_id, provider, organisation_id, organisation_name, status,
           connected_by_id, connected_by_name, connected_at, last_checked_at, created_at, updated_at)
         VALUES (?, ?, 'quickbooks', ?, 'Company', 'active', 'u', 'U', 0, ?, 0, 0)`,
        [`con${i}`, `t${i}`, String(1000 + i), now - (i % 50) * 60_000],
      )
    }
    for (let i = 0; i < FINISHED_CHECKS; i++)
      await tx.run(
        `INSERT INTO jobs (id, kind, tenant_id, connection_id, payload, state, attempts, max_attempts, run_at,
           dedupe_key, created_at, updated_at, finished_at)
         VALUES (?, 'check_connection', ?, ?, 'null', 'succeeded', 1, 8, 0, ?, 0, 0, ?)`,
        [`job${i}`, `t${i % CONNECTIONS}`, `con${i % CONNECTIONS}`, `check:con${i % CONNECTIONS}`, now],
      )
  })
  const { services } = createApp({
    config: testConfig({ database }),
    db,
    log: createLogger({ level: 'error', sink: () => undefined }),
    providers: { get: () => undefined },
  })
  const checks = services.connections.checks

  const average = async (times: number, work: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < Math.min(times, 20); i++) await work(i) // warm-up
    const started = performance.now()
    for (let i = 0; i < times; i++) await work(i)
    return (performance.now() - started) / times
  }

  const scan = await average(SCANS, async () => {
    if ((await checks.enqueueDue()) !== 0) throw new Error('nothing should be due')
  })
  const count = await average(SCANS, () =>
    db.get("SELECT count(*) AS n FROM connections WHERE status = 'active'"),
  )
  report({
    name: 'check_scan_ms',
    value: round(scan, 2),
    unit: 'ms',
    baseline: round(count, 2),
    goal: `ratio <= 5 of counting the active connections (${CONNECTIONS} connections, ${FINISHED_CHECKS} finished checks)`,
  })

  await services.connections.providerSideDisconnect('quickbooks', '1000') // requests and queues once
  const visit = await average(VISITS, () => services.connections.providerSideDisconnect('quickbooks', '1000'))
  const point = await average(VISITS, (i) =>
    db.get('SELECT * FROM connections WHERE id = ?', [`con${i % CONNECTIONS}`]),
  )
  report({
    name: 'disconnect_url_visit_us',
    value: round(visit * 1000, 1),
    unit: 'µs',
    baseline: round(point * 1000, 1),
    goal: 'ratio <= 5 of a point select (a repeated visit only reads)',
  })
} finally {
  db.close()
  rmSync(dir, { recursive: true, force: true })
}
