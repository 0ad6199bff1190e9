import { PAGE_BYTES_MAX } from '../../shared/api/common.ts'
import type { Queryable, SqlValue } from '../db/client.ts'
import { invalid } from './common.ts'

/** A list query: the rows of `table` matching `where` (which starts with the tenant). */
export interface PageQuery {
  table: string
  where: string
  args: SqlValue[]
  /** What to select; every column unless told. */
  columns?: string
  /**
   * SQL for a row's size in bytes, where rows can be large (documents of up to 1 MiB): the page
   * then reads only the rows that fit in its byte budget instead of `limit` of them.
   */
  bytes?: string
  /** Bytes the answer adds to each item after paging (its derived sync state), counted in the budget. */
  reserve?: number
}

/** How many of the first `sizes` fit in `budget`: at least one (a page always moves on), at most `max`. */
function fitting(sizes: readonly number[], budget: number, max: number): number {
  let used = 0
  let n = 0
  for (const size of sizes.slice(0, max)) {
    if (n > 0 && used + size > budget) break
    used += size
    n++
  }
  return n
}

const ID = /^[a-z]{3}_[a-z2-7]{26}$/

/**
 * Cursor pagination over ids that sort by creation time; the cursor is opaque to callers. A page
 * holds at most `limit` items and stops before its items pass `budget` bytes of JSON (unless one
 * item alone does), so an answer stays bounded however large the records are.
 */
export async function pageByCursor<Row extends { id: string }, Item>(
  db: Queryable,
  query: PageQuery,
  page: { limit: number; cursor?: string | undefined },
  toItem: (row: Row) => Item,
  budget = PAGE_BYTES_MAX,
): Promise<{ data: Item[]; nextCursor: string | null }> {
  let after = ''
  if (page.cursor) {
    after = Buffer.from(page.cursor, 'base64url').toString('utf8')
    if (!ID.test(after)) throw invalid('cursor', 'This cursor is not one we issued')
  }
  const from = `FROM ${query.table} WHERE ${query.where} AND id > ? ORDER BY id LIMIT ?`
  let take = page.limit
  let more = false
  if (query.bytes) {
    const sizes = await db.all<{ bytes: number }>(`SELECT ${query.bytes} AS bytes ${from}`, [
      ...query.args,
      after,
      page.limit + 1,
    ])
    take = fitting(
      sizes.map((s) => s.bytes + (query.reserve ?? 0)),
      budget,
      page.limit,
    )
    more = sizes.length > take
  }
  const rows = await db.all<Row>(`SELECT ${query.columns ?? '*'} ${from}`, [
    ...query.args,
    after,
    query.bytes ? take : take + 1,
  ])
  if (rows.length > take) {
    more = true
    rows.length = take
  }
  const data = rows.map(toItem)
  // The estimate above counts stored bytes; the answer is what must stay within the budget.
  const keep = fitting(
    data.map((item) => Buffer.byteLength(JSON.stringify(item)) + (query.reserve ?? 0)),
    budget,
    data.length,
  )
  if (keep < data.length) {
    more = true
    data.length = keep
    rows.length = keep
  }
  const last = rows.at(-1)
  return { data, nextCursor: more && last ? Buffer.from(last.id).toString('base64url') : null }
}
