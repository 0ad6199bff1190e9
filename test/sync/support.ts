import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb, type Db } from '../../server/db/client.ts'
import { migrate } from '../../server/db/migrate.ts'

/** A migrated database on a temporary file, with one tenant to own jobs; `close()` removes it. */
export async function queueDb(): Promise<{ db: Db; url: string; tenantId: string; close(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'll-queue-'))
  const url = `file:${join(dir, 'queue.db')}`
  const db = openDb({ url })
  await migrate(db)
  const tenantId = 'acme'
  await db.run("INSERT INTO tenants (id, name, created_at, updated_at) VALUES (?, 'Acme', 0, 0)", [tenantId])
  return {
    db,
    url,
    tenantId,
    close() {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_800_000_000_000) {
  let t = start
  return { now: () => t, advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) }
}
