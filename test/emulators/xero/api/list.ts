import type { Context } from 'hono'
import { XERO_FACTS } from '../facts.ts'
import type { ApiEnv } from './env.ts'
import { requestRefused } from './errors.ts'
import { parseWhere } from './where.ts'

export interface Pagination {
  page: number
  pageSize: number
  pageCount: number
  itemCount: number
}

/**
 * The read side shared by list endpoints (PROVIDERS 1.9): `If-Modified-Since` on UpdatedDateUTC,
 * `where`, then `page`/`pageSize` (100 by default, 1,000 at most) with a `pagination` object.
 * `view` gives the record as `where` sees it (dates as YYYY-MM-DD, nested Contact).
 */
export function listRecords<T>(
  c: Context<ApiEnv>,
  records: T[],
  options: { updatedAt: (r: T) => number; view: (r: T) => Record<string, unknown>; pageable: boolean },
): { items: T[]; pagination?: Pagination } | Response {
  let items = records
  const ims = c.req.header('if-modified-since')
  if (ims !== undefined) {
    const since = Date.parse(ims)
    items = items.filter((r) => options.updatedAt(r) >= since)
  }
  const where = c.var.query.where as string | undefined
  if (where) {
    const predicate = parseWhere(where)
    if (!predicate) return requestRefused(c, `The 'where' filter '${where}' could not be parsed`)
    items = items.filter((r) => predicate(options.view(r)))
  }
  const page = c.var.query.page as number | undefined
  if (!options.pageable || page === undefined) return { items }
  const requested = (c.var.query.pageSize as number | undefined) ?? XERO_FACTS.paging.defaultPageSize
  const pageSize = Math.min(Math.max(1, requested), XERO_FACTS.paging.maxPageSize)
  const current = Math.max(1, page)
  return {
    items: items.slice((current - 1) * pageSize, current * pageSize),
    pagination: {
      page: current,
      pageSize,
      pageCount: Math.ceil(items.length / pageSize),
      itemCount: items.length,
    },
  }
}
