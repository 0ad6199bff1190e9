// db_point_select_ops: point selects by primary key through the database module on a local file,
// served by the synchronous `libsql` driver (what `file:` URLs get), against `@libsql/client`.
import { measureDriver } from './db-lib.ts'
import { report } from './lib.ts'

const ROWS = 10_000
const SELECTS = 50_000

async function run(driver: 'libsql' | '@libsql/client') {
  return measureDriver(driver, async (db) => {
    await db.transaction(async (tx) => {
      for (let i = 0; i < ROWS; i++)
        await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [i, `item ${i}`])
    })
    const started = performance.now()
    for (let i = 0; i < SELECTS; i++)
      await db.get('SELECT id, name FROM items WHERE id = ?', [(i * 7919) % ROWS])
    return SELECTS / ((performance.now() - started) / 1000)
  })
}

const client = await run('@libsql/client')
const native = await run('libsql')
report({
  name: 'db_point_select_ops',
  value: native,
  unit: 'ops/s',
  baseline: client,
  goal: 'ratio >= 2 (else serve file: URLs with @libsql/client)',
})
