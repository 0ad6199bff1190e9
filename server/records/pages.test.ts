import { afterEach, describe, expect, test } from 'vitest'
import { openDb, type Db } from '../db/client.ts'
import { pageByCursor, type PageQuery } from './pages.ts'

/** Rows of a given size in one table, ids in creation order, and a walk over all their pages. */
let db: Db
afterEach(() => db.close())

async function rows(sizes: number[]) {
  db = openDb({ url: 'file::memory:' })
  await db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY, tenant_id TEXT, body TEXT)')
  const ids = sizes.map((_, i) => `doc_${'a'.repeat(25)}${'abcdefghijklmnop'[i]}`)
  for (const [i, size] of sizes.entries())
    await db.run('INSERT INTO docs VALUES (?, ?, ?)', [ids[i]!, 't', 'x'.repeat(size)])
  return ids
}
const query = (bytes?: string): PageQuery => ({
  table: 'docs',
  where: 'tenant_id = ?',
  args: ['t'],
  ...(bytes ? { bytes } : {}),
})
const toItem = (r: { id: string; body: string }) => ({ id: r.id, body: r.body })
/** Each item is its body and 49 bytes of JSON around it: {"id":"doc_…","body":"…"}. */
const itemBytes = (size: number) => size + 49

async function walk(q: PageQuery, limit: number, budget: number) {
  const pages: string[][] = []
  let cursor: string | undefined
  do {
    const page = await pageByCursor(db, q, { limit, cursor }, toItem, budget)
    pages.push(page.data.map((d) => d.id))
    const bytes = page.data.map((d) => Buffer.byteLength(JSON.stringify(d)))
    if (page.data.length > 1) expect(bytes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(budget)
    cursor = page.nextCursor ?? undefined
  } while (cursor && pages.length < 100)
  return pages
}

describe('pageByCursor', () => {
  test.each([
    ['measuring the answer only', undefined],
    ['reading only the rows that fit', 'octet_length(body) + 49'],
  ])('stops a page before its items pass the budget, %s', async (_, bytes) => {
    const ids = await rows([100, 100, 100, 400, 50, 50, 1000, 10])
    expect(itemBytes(100)).toBe(Buffer.byteLength(JSON.stringify({ id: ids[0], body: 'x'.repeat(100) })))
    const pages = await walk(query(bytes), 10, 400)
    // 149 × 2 fit in 400; 449 alone; 99 × 2; 1049 alone (a page always moves on); 61.
    expect(pages).toEqual([
      ids.slice(0, 2),
      ids.slice(2, 3),
      ids.slice(3, 4),
      ids.slice(4, 6),
      [ids[6]],
      [ids[7]],
    ])
  })

  test('a generous budget leaves `limit` in charge, and the last page has no cursor', async () => {
    const ids = await rows([10, 10, 10, 10, 10])
    expect(await walk(query('octet_length(body)'), 2, 1_000_000)).toEqual([
      ids.slice(0, 2),
      ids.slice(2, 4),
      [ids[4]],
    ])
    const last = await pageByCursor(db, query(), { limit: 5 }, toItem)
    expect(last.nextCursor).toBeNull()
  })

  test('a stored-size estimate that is too low still never passes the budget', async () => {
    const ids = await rows([300, 300, 300])
    expect(await walk(query('1'), 10, 700)).toEqual([ids.slice(0, 2), [ids[2]]])
  })
})
