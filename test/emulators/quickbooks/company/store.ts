import type { Clock } from '../../common/clock.ts'
import type { WebhookOperation } from '../facts.ts'
import { intuitDateTime } from '../time.ts'

/** Entities the emulator keeps. Vendor and Employee exist only so DisplayName uniqueness spans them (2.7). */
export type EntityType =
  | 'Customer'
  | 'Vendor'
  | 'Employee'
  | 'Invoice'
  | 'Payment'
  | 'CreditMemo'
  | 'Item'
  | 'Account'
  | 'TaxCode'
  | 'TaxRate'
  | 'TaxAgency'
  | 'Term'
  | 'CompanyCurrency'
  | 'CompanyInfo'
  | 'Preferences'

/** An entity as QBO serialises it: wire property names, Id and SyncToken as strings. */
export type QboEntity = Record<string, unknown> & { Id: string; SyncToken: string }

interface Row {
  entity: QboEntity
  createdAt: number
  updatedAt: number
}

export interface Change {
  type: EntityType
  id: string
  operation: WebhookOperation
  at: number
}

/** Transactions share one Id sequence in QBO; each list entity has its own. */
const TRANSACTIONS = new Set<EntityType>(['Invoice', 'Payment', 'CreditMemo'])

export interface Company {
  readonly realmId: string
  readonly name: string
  /** The signed-in user's name, used in the 5010 Detail. */
  readonly adminName: string
  get(type: EntityType, id: string): QboEntity | undefined
  list(type: EntityType): QboEntity[]
  updatedAt(type: EntityType, id: string): number
  insert(type: EntityType, fields: Record<string, unknown>, operation?: WebhookOperation): QboEntity
  /** Replaces the stored entity, bumping SyncToken and LastUpdatedTime. */
  replace(type: EntityType, entity: QboEntity, operation?: WebhookOperation): QboEntity
  remove(type: EntityType, id: string): QboEntity
  deletedSince(type: EntityType, since: number): { id: string; at: number }[]
  nextDocNumber(): string
  readonly changes: Change[]
  onChange(listener: (change: Change) => void): void
  preferences(): QboEntity
  info(): QboEntity
  /** Moves every row's timestamps back, so seeded data predates the tests (and CDC windows). */
  backdate(ms: number): void
}

export function createCompany(
  clock: Clock,
  spec: { realmId: string; name: string; adminName: string },
): Company {
  const tables = new Map<EntityType, Map<string, Row>>()
  const deleted = new Map<EntityType, { id: string; at: number }[]>()
  const sequences = new Map<string, number>()
  const listeners: ((c: Change) => void)[] = []
  const changes: Change[] = []
  let docNumber = 1000

  const table = (type: EntityType) => {
    let t = tables.get(type)
    if (!t) tables.set(type, (t = new Map<string, Row>()))
    return t
  }
  const nextId = (type: EntityType) => {
    const key = TRANSACTIONS.has(type) ? 'txn' : type
    const n = (sequences.get(key) ?? (key === 'txn' ? 100 : 0)) + 1
    sequences.set(key, n)
    return String(n)
  }
  const record = (type: EntityType, id: string, operation: WebhookOperation) => {
    const change = { type, id, operation, at: clock.now() }
    changes.push(change)
    for (const l of listeners) l(change)
  }
  const meta = (row: Pick<Row, 'createdAt' | 'updatedAt'>) => ({
    CreateTime: intuitDateTime(row.createdAt),
    LastUpdatedTime: intuitDateTime(row.updatedAt),
  })

  const company: Company = {
    realmId: spec.realmId,
    name: spec.name,
    adminName: spec.adminName,
    changes,
    get: (type, id) => table(type).get(id)?.entity,
    list: (type) => [...table(type).values()].map((r) => r.entity),
    updatedAt: (type, id) => table(type).get(id)?.updatedAt ?? 0,
    insert(type, fields, operation = 'Create') {
      const now = clock.now()
      const id = typeof fields.Id === 'string' && fields.Id ? fields.Id : nextId(type)
      const times = { createdAt: now, updatedAt: now }
      const entity = {
        domain: 'QBO',
        sparse: false,
        ...fields,
        Id: id,
        SyncToken: '0',
        MetaData: meta(times),
      }
      const row: Row = { entity, ...times }
      table(type).set(id, row)
      const n = Number(id)
      const key = TRANSACTIONS.has(type) ? 'txn' : type
      if (n > (sequences.get(key) ?? 0)) sequences.set(key, n)
      record(type, id, operation)
      return row.entity
    },
    replace(type, entity, operation = 'Update') {
      const row = table(type).get(entity.Id)
      if (!row) throw new Error(`no ${type} ${entity.Id}`)
      row.updatedAt = clock.now()
      row.entity = {
        ...entity,
        SyncToken: String(Number(row.entity.SyncToken) + 1),
        MetaData: meta(row),
      }
      record(type, entity.Id, operation)
      return row.entity
    },
    remove(type, id) {
      const row = table(type).get(id)
      if (!row) throw new Error(`no ${type} ${id}`)
      table(type).delete(id)
      const at = clock.now()
      deleted.set(type, [...(deleted.get(type) ?? []), { id, at }])
      record(type, id, 'Delete')
      return row.entity
    },
    deletedSince: (type, since) => (deleted.get(type) ?? []).filter((d) => d.at >= since),
    nextDocNumber() {
      const used = new Set(company.list('Invoice').map((i) => i.DocNumber))
      do docNumber++
      while (used.has(String(docNumber)))
      return String(docNumber)
    },
    onChange: (listener) => void listeners.push(listener),
    backdate(ms) {
      for (const t of tables.values())
        for (const row of t.values()) {
          row.createdAt -= ms
          row.updatedAt -= ms
          row.entity = { ...row.entity, MetaData: meta(row) }
        }
    },
    preferences: () => company.list('Preferences')[0]!,
    info: () => company.list('CompanyInfo')[0]!,
  }
  return company
}
