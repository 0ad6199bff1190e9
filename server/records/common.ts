import type { FieldError } from '../../shared/errors.ts'
import { AppError } from '../errors.ts'
import type { Queryable, SqlValue } from '../db/client.ts'

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
function isUniqueViolation(err: unknown, column: string): boolean {
  const text = err instanceof Error ? err.message : ''
  return text.includes('UNIQUE constraint failed') && text.includes(`.${column}`)
}

/** A column that is unique per tenant, and the field the host sent it as. */
export type UniqueField = readonly [column: string, path: string]
export const EXTERNAL_ID: UniqueField = ['external_id', 'externalId']

/**
 * Inserts a row, or updates it by id, column by column. A UNIQUE failure on one of `unique` becomes
 * a conflict on the field the host sent (`An invoice with this number already exists.`).
 */
export async function writeRow<Row extends { id: string }>(
  tx: Queryable,
  target: {
    table: string
    columns: readonly (keyof Row & string)[]
    noun: string
    unique: readonly UniqueField[]
  },
  row: Row,
  mode: 'insert' | 'update',
) {
  const { table, columns } = target
  const values = columns.map((c) => row[c] as SqlValue)
  try {
    if (mode === 'insert')
      await tx.run(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        values,
      )
    else
      await tx.run(`UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [
        ...values,
        row.id,
      ])
  } catch (err) {
    const field = target.unique.find(([column]) => isUniqueViolation(err, column))
    if (field)
      throw new AppError('conflict', {
        message: `${target.noun} with this ${field[1]} already exists.`,
        details: [{ path: field[1], message: 'Already used in this account' }],
      })
    throw err
  }
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
