import type { Company, EntityType, QboEntity } from '../company/store.ts'
import { faults } from '../errors.ts'
import { QBO } from '../facts.ts'
import { parseIntuitTime } from '../time.ts'
import type { XsdSchema } from '../xsd/schema.ts'
import { text } from '../entities/context.ts'
import { parseQuery, type Condition, type QueryValue } from './query.ts'

/** Entities the query endpoint serves; name lists hide inactive rows unless the query filters on Active. */
const QUERYABLE: Record<string, { type: EntityType; nameList: boolean }> = {
  customer: { type: 'Customer', nameList: true },
  invoice: { type: 'Invoice', nameList: false },
  payment: { type: 'Payment', nameList: false },
  creditmemo: { type: 'CreditMemo', nameList: false },
  item: { type: 'Item', nameList: true },
  account: { type: 'Account', nameList: true },
  taxcode: { type: 'TaxCode', nameList: true },
  taxrate: { type: 'TaxRate', nameList: true },
  taxagency: { type: 'TaxAgency', nameList: false },
  term: { type: 'Term', nameList: true },
  companycurrency: { type: 'CompanyCurrency', nameList: false },
  companyinfo: { type: 'CompanyInfo', nameList: false },
  preferences: { type: 'Preferences', nameList: false },
}

function read(entity: QboEntity, field: string): unknown {
  let v: unknown = entity
  for (const part of field.split('.')) v = (v as Record<string, unknown> | undefined)?.[part]
  // A reference compares by its id, as `CustomerRef = '58'` does in QBO.
  if (typeof v === 'object' && v !== null && 'value' in v) return v.value
  // An email compares by its address: `PrimaryEmailAddr = 'a@b.example'` (EmailAddress.Address).
  if (typeof v === 'object' && v !== null && 'Address' in v) return v.Address
  return v
}

function compare(a: unknown, b: QueryValue, field: string): number {
  if (field.startsWith('MetaData.'))
    return (parseIntuitTime(String(a)) ?? 0) - (parseIntuitTime(String(b)) ?? 0)
  if (typeof b === 'number' || (typeof a === 'number' && !Number.isNaN(Number(b))))
    return Number(a) - Number(b)
  if (typeof b === 'boolean') return a === b ? 0 : 1
  return text(a ?? '').localeCompare(text(b))
}

function matches(entity: QboEntity, c: Condition): boolean {
  const v = read(entity, c.field)
  switch (c.op) {
    case 'IN':
      return c.values.some((x) => compare(v, x, c.field) === 0)
    case 'LIKE': {
      const pattern = text(c.values[0])
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/%/g, '.*')
      return new RegExp(`^${pattern}$`, 'i').test(text(v ?? ''))
    }
    default: {
      const d = compare(v, c.values[0]!, c.field)
      return { '=': d === 0, '<': d < 0, '>': d > 0, '<=': d <= 0, '>=': d >= 0 }[c.op]
    }
  }
}

export function runQuery(company: Company, schema: XsdSchema, statement: string): Record<string, unknown> {
  const q = parseQuery(statement, { maxResults: 100, limit: QBO.limits.queryMaxResults })
  const target = QUERYABLE[q.entity.toLowerCase()]
  if (!target) throw faults.queryInvalid(`Invalid entity name: ${q.entity}`)
  const elements = schema.elementsOf(target.type)
  for (const field of [
    ...q.where.map((c) => c.field),
    ...q.orderBy.map((o) => o.field),
    ...(q.fields ?? []),
  ]) {
    const root = field.split('.')[0]!
    if (!elements.has(root)) throw faults.queryInvalid(`property '${field}' is not queryable`)
  }
  let rows = company.list(target.type).filter((e) => q.where.every((c) => matches(e, c)))
  if (target.nameList && !q.where.some((c) => c.field === 'Active'))
    rows = rows.filter((e) => e.Active !== false)
  rows.sort((a, b) => Number(a.Id) - Number(b.Id))
  for (const o of [...q.orderBy].reverse())
    rows.sort((a, b) => compare(read(a, o.field), text(read(b, o.field)), o.field) * (o.desc ? -1 : 1))
  if (q.count) return { totalCount: rows.length }
  const page = rows.slice(q.startPosition - 1, q.startPosition - 1 + q.maxResults)
  if (page.length === 0) return {}
  const projected = q.fields
    ? page.map((e) => Object.fromEntries([['Id', e.Id], ...q.fields!.map((f) => [f, e[f]])]) as QboEntity)
    : page
  return { [target.type]: projected, startPosition: q.startPosition, maxResults: page.length }
}
