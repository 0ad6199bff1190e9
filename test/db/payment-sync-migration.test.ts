import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { openDb } from '../../server/db/client.ts'
import { migrate } from '../../server/db/migrate.ts'

/**
 * Migration 0023 rebuilds sync_runs to take runs of payments. Dropping the old table would set
 * every job's run_id to NULL (ON DELETE SET NULL): a database with runs and their jobs keeps each
 * job in its run.
 */
const MIGRATIONS = join(import.meta.dirname, '..', '..', 'server', 'db', 'migrations')
const dir = mkdtempSync(join(tmpdir(), 'll-0023-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('jobs keep their runs across the rebuild, and runs of payments are accepted', async () => {
  const old = join(dir, 'old')
  mkdirSync(old)
  for (const name of readdirSync(MIGRATIONS).filter((n) => n < '0023_'))
    copyFileSync(join(MIGRATIONS, name), join(old, name))
  const db = openDb({ url: `file:${join(dir, 'db.sqlite')}` })
  try {
    await migrate(db, old)
    await db.run("INSERT INTO tenants (id, name, created_at, updated_at) VALUES ('t1', 'T', 1, 1)")
    await db.run(
      `INSERT INTO connections (id, tenant_id, provider, organisation_id, organisation_name, status, connected_by_id, connected_by_name, connected_at, created_at, updated_at)
       VALUES ('con_1', 't1', 'xero', 'org', 'Org', 'active', 'u', 'U', 1, 1, 1)`,
    )
    await db.run(
      "INSERT INTO sync_runs (id, tenant_id, connection_id, kind, started_by, created_at) VALUES ('run_1', 't1', 'con_1', 'invoices', 'u', 1)",
    )
    for (const id of ['job_1', 'job_2'])
      await db.run(
        `INSERT INTO jobs (id, kind, tenant_id, payload, state, attempts, max_attempts, run_at, created_at, updated_at, run_id)
         VALUES (?, 'push_invoices', 't1', '{}', 'queued', 0, 5, 1, 1, 1, 'run_1')`,
        [id],
      )
    await expect(
      db.run(
        "INSERT INTO sync_runs (id, tenant_id, connection_id, kind, started_by, created_at) VALUES ('run_x', 't1', 'con_1', 'payments', 'u', 1)",
      ),
    ).rejects.toThrow(/CHECK/)

    await migrate(db, MIGRATIONS)
    expect(await db.all('SELECT id, run_id FROM jobs ORDER BY id')).toEqual([
      { id: 'job_1', run_id: 'run_1' },
      { id: 'job_2', run_id: 'run_1' },
    ])
    await db.run(
      "INSERT INTO sync_runs (id, tenant_id, connection_id, kind, started_by, created_at) VALUES ('run_2', 't1', 'con_1', 'payments', 'u', 2)",
    )
    // The rebuilt table is the one jobs point at: deleting a run still lets go of its jobs.
    await db.run("DELETE FROM sync_runs WHERE id = 'run_1'")
    expect(await db.all('SELECT run_id FROM jobs')).toEqual([{ run_id: null }, { run_id: null }])
    expect(await db.get("SELECT count(*) AS n FROM sqlite_master WHERE name = 'jobs_runs_kept'")).toEqual({
      n: 0,
    })
  } finally {
    db.close()
  }
})
