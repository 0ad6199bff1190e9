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

/** A patched value: `undefined` keeps the stored one, `null` clears it. */
export const patched = <T>(value: T | undefined, stored: T): T => (value === undefined ? stored : value)

/** SQLite's UNIQUE failure, as both drivers report it. */
function isUniqueViolation(err: unknown, column: string): boolean {
  const text = err instanceof Error ? err.message : ''
  return text.includes('UNIQUE constraint failed') && text.includes(`.${column}`)
}

/** A column that is unique per tenant, and the field the host sent it as. */
export type UniqueField = readonly [column: string, path: string]
export const EXTERNAL_ID: UniqueField = ['external_id', 'externalId']

/** Where a kind of record is stored: its table, the columns written, and its unique fields. */
export interface Target<Row> {
  table: string
  columns: readonly (keyof Row & string)[]
  noun: string
  unique: readonly UniqueField[]
}

/**
 * Inserts a row, or updates it by id, column by column. A UNIQUE failure on one of `unique` becomes
 * a conflict on the field the host sent (`An invoice with this number already exists.`).
 */
export async function writeRow<Row extends { id: string }>(
  tx: Queryable,
  target: Target<Row>,
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

/**
 * The end of every update: when `next` differs from the stored `row`, bumps the version (which the
 * sync reads to tell "outdated") and writes it; a no-op leaves the record and its version alone.
 * Returns the record as stored.
 */
export async function saveChanged<Row extends { id: string; version: number; updated_at: number }>(
  tx: Queryable,
  target: Target<Row>,
  row: Row,
  next: Row,
  t: number,
): Promise<Row> {
  if (JSON.stringify(next) === JSON.stringify(row)) return row
  const saved = { ...next, version: row.version + 1, updated_at: t }
  await writeRow(tx, target, saved, 'update')
  return saved
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
