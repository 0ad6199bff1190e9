import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb, type Db } from '../server/db/client.ts'
import { round } from './lib.ts'

/** Runs `work` on a fresh database file opened with `driver`; answers its ops/s. */
export async function measureDriver(
  driver: Db['driver'],
  work: (db: Db) => Promise<number>,
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'll-dbbench-'))
  const db = openDb({ url: `file:${join(dir, 'bench.db')}`, driver })
  try {
    await db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)')
    return round(await work(db), 0)
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
