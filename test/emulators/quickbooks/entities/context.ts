import type { Company, EntityType, QboEntity } from '../company/store.ts'
import { faults } from '../errors.ts'
import { intuitDate } from '../time.ts'

/** What a write sees: the company, the clock, `include=` options and the batch's invisible ids. */
export interface WriteContext {
  company: Company
  now: number
  include: Set<string>
  /** Entities created earlier in the same batch: QBO batch items cannot see each other (2.4). */
  invisible: Set<string>
}

export type Ref = { value: string; name?: string }
export type Fields = Record<string, unknown>

/** A scalar as text; objects as JSON (never "[object Object]"). */
export const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)

export const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Whole cents, so totals add up the way QBO's decimal arithmetic does. */
export const toCents = (n: unknown): number => Math.round(Number(n ?? 0) * 100)
export const fromCents = (c: number): number => c / 100

export function refValue(v: unknown): string | undefined {
  return isRecord(v) && v.value !== undefined && v.value !== null ? text(v.value) : undefined
}

/** Resolves a reference the way QBO reports bad ones: unknown → 2500, inactive → 610. */
export function resolveRef(ctx: WriteContext, type: EntityType, ref: unknown, element: string): QboEntity {
  const id = refValue(ref)
  if (id === undefined) throw faults.requiredParam(element)
  const entity = ctx.company.get(type, id)
  if (!entity || ctx.invisible.has(`${type}:${id}`)) throw faults.invalidReference(element)
  if (entity.Active === false) throw faults.inactiveReference(element)
  return entity
}

export function named(entity: QboEntity, nameField = 'Name'): Ref {
  const name = entity[nameField] ?? entity.DisplayName
  return typeof name === 'string' ? { value: entity.Id, name } : { value: entity.Id }
}

export function today(ctx: WriteContext): string {
  return intuitDate(ctx.now)
}

/** 6210 when a dated transaction falls on or before the company's closing date. */
export function assertPeriodOpen(ctx: WriteContext, txnDate: unknown) {
  const prefs = ctx.company.preferences().AccountingInfoPrefs as Fields | undefined
  const closed = prefs?.BookCloseDate
  if (typeof closed === 'string' && typeof txnDate === 'string' && txnDate <= closed)
    throw faults.periodClosed()
}

export function required(input: Fields, name: string): unknown {
  const v = input[name]
  if (v === undefined || v === null || v === '') throw faults.requiredParam(name)
  return v
}
