import type { Context } from 'hono'
import { paramErrors } from '../errors.ts'
import { SAGE_FACTS } from '../facts.ts'
import type { Stamped } from '../types.ts'
import { selectAttributes, timestamp } from '../wire.ts'

const second = (ms: number) => Math.floor(ms / 1000)

function sinceParam(c: Context, name: string): number | null {
  const raw = c.req.query(name)
  if (raw === undefined) return null
  const ms = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : NaN
  if (Number.isNaN(ms)) throw paramErrors([{ param: name, problem: 'is invalid' }])
  return ms
}

function positiveInt(c: Context, name: string, fallback: number): number {
  const raw = c.req.query(name)
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw paramErrors([{ param: name, problem: 'is invalid' }])
  return Number(raw)
}

/**
 * A Sage collection page: `$total`, `$page`, `$next`, `$back`, `$items_per_page`, `$items`.
 * `updated_or_created_since` is inclusive and `deleted_since` exclusive (both to the second, the
 * resolution Sage shows timestamps in); with `deleted_since` only deleted records are listed.
 */
export function listPage<T extends Stamped>(
  c: Context,
  collection: string,
  records: Iterable<T>,
  render: (record: T) => Record<string, unknown>,
) {
  const updatedSince = sinceParam(c, 'updated_or_created_since')
  const deletedSince = sinceParam(c, 'deleted_since')
  const perPage = Math.min(
    positiveInt(c, 'items_per_page', SAGE_FACTS.paging.defaultItemsPerPage),
    SAGE_FACTS.paging.maxItemsPerPage,
  )
  const page = positiveInt(c, 'page', 1)
  const selected = [...records].filter((r) => {
    if (deletedSince !== null) return r.deletedAt !== null && second(r.deletedAt) > second(deletedSince)
    if (r.deletedAt !== null) return false
    return updatedSince === null || second(r.updatedAt) >= second(updatedSince)
  })
  const attributes = c.req.query('attributes')
  const items = selected.slice((page - 1) * perPage, page * perPage).map((r) => {
    if (r.deletedAt !== null)
      return { ...selectAttributes(render(r), undefined), deleted_at: timestamp(r.deletedAt) }
    return selectAttributes(render(r), attributes)
  })
  const link = (n: number) => {
    const params = new URLSearchParams(c.req.query())
    params.set('page', String(n))
    return `/${collection}?${params.toString()}`
  }
  return c.json({
    $total: selected.length,
    $page: page,
    $next: page * perPage < selected.length ? link(page + 1) : null,
    $back: page > 1 ? link(page - 1) : null,
    $items_per_page: perPage,
    $items: items,
  })
}

/**
 * `sort=<attribute>[:asc|desc]` over the attributes a collection documents (sales invoices:
 * created_at, updated_at, date, due_date). Ties keep insertion order, newest first when descending.
 */
export function sortRows<T extends Stamped>(
  rows: T[],
  sort: string | undefined,
  sortable: Record<string, keyof T>,
): T[] {
  if (sort === undefined) return rows
  const [name = '', direction = 'asc'] = sort.split(':')
  const field = Object.hasOwn(sortable, name) ? sortable[name] : undefined
  if (!field || (direction !== 'asc' && direction !== 'desc'))
    throw paramErrors([{ param: 'sort', problem: 'is invalid' }])
  const key = (r: T) => (r[field] ?? '') as string | number
  const ordered = direction === 'desc' ? rows.toReversed() : rows
  const sign = direction === 'desc' ? -1 : 1
  return ordered.toSorted((a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}
