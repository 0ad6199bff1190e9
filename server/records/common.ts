import type { FieldError } from '../../shared/errors.ts'
import { AppError } from '../errors.ts'
import type { Queryable } from '../db/client.ts'

export const iso = (ms: number) => new Date(ms).toISOString()
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))

export function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', { details: [{ path, message }] })
}

export function invalidMany(details: FieldError[]): AppError {
  return new AppError('validation_failed', { details })
}

export function notFound(what: string): AppError {
  return new AppError('not_found', { message: `We could not find that ${what}.` })
}

/** SQLite's UNIQUE failure, as both drivers report it. */
export function isUniqueViolation(err: unknown, column: string): boolean {
  const text = err instanceof Error ? err.message : ''
  return text.includes('UNIQUE constraint failed') && text.includes(`.${column}`)
}

/** Cursor pagination over ids that sort by creation time. The cursor is opaque to callers. */
export async function pageByCursor<Row extends { id: string }>(
  db: Queryable,
  query: { sql: string; args: (string | number)[] },
  page: { limit: number; cursor?: string | undefined },
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  let after = ''
  if (page.cursor) {
    after = Buffer.from(page.cursor, 'base64url').toString('utf8')
    if (!/^[a-z]{3}_[a-z2-7]{26}$/.test(after)) throw invalid('cursor', 'This cursor is not one we issued')
  }
  const rows = await db.all<Row>(`${query.sql} AND id > ? ORDER BY id LIMIT ?`, [
    ...query.args,
    after,
    page.limit + 1,
  ])
  const more = rows.length > page.limit
  if (more) rows.pop()
  const last = rows.at(-1)
  return { rows, nextCursor: more && last ? Buffer.from(last.id).toString('base64url') : null }
}

/** Refuses a reference to a record of another tenant or none, as a field error. */
export async function requireOwned(db: Queryable, table: string, tenantId: string, id: string, path: string) {
  const row = await db.get(`SELECT 1 AS ok FROM ${table} WHERE id = ? AND tenant_id = ?`, [id, tenantId])
  if (!row) throw invalid(path, 'No such record in this account')
}

export async function requireTenant(db: Queryable, tenantId: string) {
  if (!(await db.get('SELECT 1 AS ok FROM tenants WHERE id = ?', [tenantId])))
    throw new AppError('not_found', {
      message: 'We could not find that tenant. Create it with PUT /v1/tenants/{tenantId}.',
    })
}
