// db_insert_tx_ops: inserts inside one write transaction through the database module on a local
// file, `libsql` driver against `@libsql/client`.
import { measureDriver } from './db-lib.ts'
import { report } from './lib.ts'

const INSERTS = 50_000

async function run(driver: 'libsql' | '@libsql/client') {
  return measureDriver(driver, async (db) => {
    const started = performance.now()
    await db.transaction(async (tx) => {
      for (let i = 0; i < INSERTS; i++)
        await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [i, `item ${i}`])
    })
    return INSERTS / ((performance.now() - started) / 1000)
  })
}

const client = await run('@libsql/client')
const native = await run('libsql')
report({
  name: 'db_insert_tx_ops',
  value: native,
  unit: 'ops/s',
  baseline: client,
  goal: 'ratio >= 2 (else serve file: URLs with @libsql/client)',
})
