import { afterEach, describe, expect, test } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb, type Db } from './client.ts'
import { migrate, pendingMigrations } from './migrate.ts'

const dirs: string[] = []
const dbs: Db[] = []
function tempUrl() {
  const dir = mkdtempSync(join(tmpdir(), 'll-db-'))
  dirs.push(dir)
  return `file:${join(dir, 'test.db')}`
}
afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe.each(['libsql', '@libsql/client'] as const)('database on a file through %s', (driver) => {
  function open(url = tempUrl()) {
    const db = openDb({ url, driver })
    dbs.push(db)
    return db
  }

  test('file URLs pick the native driver unless told otherwise', () => {
    const url = tempUrl()
    const chosen = openDb({ url })
    dbs.push(chosen)
    expect(chosen.driver).toBe('libsql')
    expect(open(url).driver).toBe(driver)
  })

  test('WAL mode and foreign keys are on', async () => {
    const db = open()
    expect(await db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' })
    expect(await db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 })
  })

  test('migrations apply once, each in a transaction', async () => {
    const url = tempUrl()
    const db = open(url)
    const first = await migrate(db)
    expect(first.length).toBeGreaterThanOrEqual(2)
    expect(await migrate(open(url))).toEqual([])
    expect(await pendingMigrations(db)).toEqual([])
  })

  test('a failing migration leaves nothing behind', async () => {
    const db = open()
    const dir = mkdtempSync(join(tmpdir(), 'll-mig-'))
    dirs.push(dir)
    const { writeFileSync } = await import('node:fs')
    writeFileSync(
      join(dir, '0001_create_a.sql'),
      'CREATE TABLE a (x INTEGER);\nCREATE TABLE a (y INTEGER);\n',
    )
    await expect(migrate(db, dir)).rejects.toThrow()
    expect(await db.get("SELECT name FROM sqlite_master WHERE name = 'a'")).toBeUndefined()
    expect(await db.all('SELECT * FROM schema_migrations')).toEqual([])
  })

  test('a transaction rolls back on error and other callers wait for it', async () => {
    const db = open()
    await db.exec('CREATE TABLE t (v INTEGER)')
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t VALUES (1)')
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await db.all('SELECT * FROM t')).toEqual([])

    let inside!: () => void
    const entered = new Promise<void>((r) => (inside = r))
    let finish!: () => void
    const held = new Promise<void>((r) => (finish = r))
    const tx = db.transaction(async (t) => {
      await t.run('INSERT INTO t VALUES (2)')
      inside()
      await held
      await t.run('INSERT INTO t VALUES (3)')
    })
    await entered
    const outside = db.run('INSERT INTO t VALUES (4)')
    finish()
    await Promise.all([tx, outside])
    expect((await db.all<{ v: number }>('SELECT v FROM t ORDER BY rowid')).map((r) => r.v)).toEqual([2, 3, 4])
  })

  test('transactions started in the same tick take turns instead of nesting', async () => {
    const db = open()
    await db.exec('CREATE TABLE t (v INTEGER)')
    const writes = Array.from({ length: 20 }, (_, i) =>
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t VALUES (?)', [i])
        await Promise.resolve()
        await tx.run('INSERT INTO t VALUES (?)', [i])
      }),
    )
    await Promise.all(writes)
    const rows = (await db.all<{ v: number }>('SELECT v FROM t ORDER BY rowid')).map((r) => r.v)
    expect(rows).toEqual(Array.from({ length: 20 }, (_, i) => [i, i]).flat())
  })

  test('a statement that waited for one transaction never lands inside the next one', async () => {
    const db = open()
    await db.exec('CREATE TABLE t (v INTEGER)')
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    const first = db.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (1)')
      await held
    })
    await Promise.resolve()
    const waiting = db.run('INSERT INTO t VALUES (2)')
    // A second transaction queued behind the first one, which will roll back.
    const second = db.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (3)')
      throw new Error('rolled back')
    })
    release()
    await first
    await expect(second).rejects.toThrow('rolled back')
    await waiting
    expect((await db.all<{ v: number }>('SELECT v FROM t ORDER BY v')).map((r) => r.v)).toEqual([1, 2])
  })

  test('inside a transaction, another transaction or a statement off `tx` is refused, not a hang', async () => {
    const db = open()
    await db.exec('CREATE TABLE t (v INTEGER)')
    await expect(db.transaction(() => db.transaction(() => Promise.resolve()))).rejects.toThrow(
      /inside a database transaction/,
    )
    await expect(db.transaction(() => db.run('INSERT INTO t VALUES (1)'))).rejects.toThrow(
      /inside a database transaction/,
    )
    expect(await db.all('SELECT * FROM t')).toEqual([])
  })

  test('rows come back as plain objects with named columns', async () => {
    const db = open()
    await db.exec("CREATE TABLE t (a TEXT, b INTEGER); INSERT INTO t VALUES ('x', 2)")
    expect(await db.all('SELECT a, b FROM t')).toEqual([{ a: 'x', b: 2 }])
    expect(await db.run('UPDATE t SET b = 3')).toEqual({ changes: 1 })
  })
})
