import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, test } from 'vitest'
import { openDb } from '../../server/db/client.ts'

const run = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'll-mp-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test.each(['libsql', '@libsql/client'] as const)(
  'several processes share one database file through %s without SQLITE_BUSY',
  async (driver) => {
    const url = `file:${join(dir, `${driver.replace(/\W/g, '')}.db`)}`
    const db = openDb({ url })
    await db.exec(
      "CREATE TABLE writes (writer TEXT, n INTEGER); CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER); INSERT INTO counters VALUES ('tx', 0)",
    )
    const writers = ['a', 'b', 'c']
    const perWriter = 300
    const script = join(import.meta.dirname, '..', 'fixtures', 'db-writer.ts')
    const outputs = await Promise.all(
      writers.map((w) =>
        run(process.execPath, [script, url, w, String(perWriter), driver]).then((r) => r.stdout),
      ),
    )
    expect(outputs).toEqual(writers.map(() => String(perWriter)))
    expect(await db.get('SELECT count(*) AS n FROM writes')).toEqual({ n: writers.length * perWriter })
    expect(await db.get("SELECT value FROM counters WHERE name = 'tx'")).toEqual({
      value: (writers.length * perWriter) / 10,
    })
    db.close()
  },
  60_000,
)
