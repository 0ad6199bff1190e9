import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { openDb, type Db } from './client.ts'
import { createReadCache } from './read-cache.ts'

const dirs: string[] = []
const dbs: Db[] = []
function open(url: string, driver?: Db['driver']) {
  const db = openDb({ url, driver })
  dbs.push(db)
  return db
}
function tempUrl() {
  const dir = mkdtempSync(join(tmpdir(), 'll-cache-'))
  dirs.push(dir)
  return `file:${join(dir, 'test.db')}`
}
afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('the change stamp', () => {
  test('moves with this connection’s writes and another connection’s commits, not with reads', async () => {
    const url = tempUrl()
    const db = open(url)
    await db.exec('CREATE TABLE t (v INTEGER)')
    const other = open(url)
    const stamps = [await db.changeStamp()]
    await db.get('SELECT count(*) AS n FROM t')
    stamps.push(await db.changeStamp())
    await db.run('INSERT INTO t VALUES (1)')
    stamps.push(await db.changeStamp())
    await db.transaction((tx) => tx.run('UPDATE t SET v = 2'))
    stamps.push(await db.changeStamp())
    await other.run('INSERT INTO t VALUES (3)')
    stamps.push(await db.changeStamp())
    await db.exec('CREATE INDEX t_v ON t (v)')
    stamps.push(await db.changeStamp())
    expect(stamps[1]).toBe(stamps[0])
    expect(new Set(stamps.slice(1)).size).toBe(5)
  })

  test('for one request: asks about other connections once, and moves with its own writes', async () => {
    const url = tempUrl()
    const db = open(url)
    await db.exec('CREATE TABLE t (v INTEGER)')
    const other = open(url)
    const stamp = db.requestStamps()
    const first = await stamp()
    await other.run('INSERT INTO t VALUES (1)') // after the request began: it need not see it
    expect(await stamp()).toBe(first)
    await db.run('INSERT INTO t VALUES (2)') // its own write: it must
    expect(await stamp()).not.toBe(first)
    expect(await db.requestStamps()()).not.toBe(await stamp()) // the next request sees both
  })

  test('requests asking at once share one read of other commits, taken after the last of them asked', async () => {
    const url = tempUrl()
    const db = open(url)
    await db.exec('CREATE TABLE t (v INTEGER)')
    const other = open(url)
    const before = await db.requestStamps()()
    const early = db.requestStamps()() // the read is not taken yet…
    await other.run('INSERT INTO t VALUES (1)') // …so a commit now is in it
    const late = db.requestStamps()() // began after that commit: it must see it
    expect(await late).not.toBe(before)
    expect(await early).toBe(await late)
    // A request asking once the read was taken waits for the next one, which sees what came since.
    await other.run('INSERT INTO t VALUES (2)')
    expect(await db.requestStamps()()).not.toBe(await late)
  })

  test('is null through @libsql/client, which swaps connections', async () => {
    const db = open(tempUrl(), '@libsql/client')
    expect(await db.changeStamp()).toBeNull()
    expect(await db.requestStamps()()).toBeNull()
  })
})

describe('the read cache', () => {
  async function setUp(driver?: Db['driver']) {
    const db = open(tempUrl(), driver)
    await db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT); INSERT INTO t VALUES ('a', 'one')")
    let loads = 0
    const cache = createReadCache<string | undefined>(db, { max: 2 })
    const read = (key: string, now = 0, until?: number) =>
      cache.read(key, now, async () => {
        loads++
        const value = (await db.get<{ v: string }>('SELECT v FROM t WHERE k = ?', [key]))?.v
        return { value, keep: value !== undefined, ...(until === undefined ? {} : { until }) }
      })
    return { db, read, loads: () => loads }
  }

  test('keeps a value until the database changes', async () => {
    const { db, read, loads } = await setUp()
    expect([await read('a'), await read('a')]).toEqual(['one', 'one'])
    expect(loads()).toBe(1)
    await db.run("UPDATE t SET v = 'two' WHERE k = 'a'")
    expect(await read('a')).toBe('two')
    expect(loads()).toBe(2)
  })

  test('reads again past the value’s own limit, and never keeps what is not to be kept', async () => {
    const { read, loads } = await setUp()
    await read('a', 0, 100)
    await read('a', 99, 100)
    expect(loads()).toBe(1)
    await read('a', 100, 100)
    expect(loads()).toBe(2)
    await read('missing')
    await read('missing')
    expect(loads()).toBe(4)
  })

  test('holds at most `max` values, and nothing through a driver without a stamp', async () => {
    const kept = await setUp()
    await kept.db.exec("INSERT INTO t VALUES ('b', 'x'), ('c', 'y')")
    for (const key of ['a', 'b', 'c', 'a']) await kept.read(key)
    expect(kept.loads()).toBe(4) // 'a' was the oldest of three with room for two
    const client = await setUp('@libsql/client')
    await client.read('a')
    await client.read('a')
    expect(client.loads()).toBe(2)
  })
})
