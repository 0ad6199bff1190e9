import type {
  CreateCustomer,
  CustomerRecord as Customer,
  UpdateCustomer,
} from '../../shared/api/customers.ts'
import { SYNC_STATE_BYTES } from '../../shared/sync-state.ts'
import type { Db, Queryable } from '../db/client.ts'
import { newId } from '../ids.ts'
import {
  EXTERNAL_ID,
  iso,
  notFound,
  patched,
  requireTenant,
  saveChanged,
  writeRow,
  type Target,
} from './common.ts'
import { pageByCursor } from './pages.ts'

interface CustomerRow {
  id: string
  tenant_id: string
  external_id: string | null
  name: string
  email: string | null
  phone: string | null
  tax_number: string | null
  currency: string | null
  address: string | null
  version: number
  created_at: number
  updated_at: number
}

export function toCustomer(r: CustomerRow): Customer {
  return {
    id: r.id,
    externalId: r.external_id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    taxNumber: r.tax_number,
    currency: r.currency,
    address: r.address ? (JSON.parse(r.address) as Customer['address']) : null,
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }
}

const CUSTOMERS: Target<CustomerRow> = {
  table: 'customers',
  columns: [
    'id',
    'tenant_id',
    'external_id',
    'name',
    'email',
    'phone',
    'tax_number',
    'currency',
    'address',
    'version',
    'created_at',
    'updated_at',
  ],
  noun: 'A customer',
  unique: [EXTERNAL_ID],
}

/**
 * Where an edited customer's contact update is queued: inside the transaction that saves the edit
 * (so a crash between the two loses nothing), then `committed()` wakes this process's workers.
 */
export interface CustomerOutbox {
  customerChanged(tx: Queryable, tenantId: string, customerId: string): Promise<void>
  committed(): void
}

export function createCustomers(deps: { db: Db; now?: () => number; outbox?: CustomerOutbox }) {
  const { db, outbox } = deps
  const now = deps.now ?? Date.now

  async function load(q: Queryable, tenantId: string, id: string): Promise<CustomerRow> {
    const row = await q.get<CustomerRow>('SELECT * FROM customers WHERE id = ? AND tenant_id = ?', [
      id,
      tenantId,
    ])
    if (!row) throw notFound('customer')
    return row
  }

  return {
    async create(tenantId: string, input: CreateCustomer): Promise<Customer> {
      await requireTenant(db, tenantId)
      const t = now()
      const row: CustomerRow = {
        id: newId('cus', t),
        tenant_id: tenantId,
        external_id: input.externalId ?? null,
        name: input.name,
        email: input.email ?? null,
        phone: input.phone ?? null,
        tax_number: input.taxNumber ?? null,
        currency: input.currency ?? null,
        address: input.address ? JSON.stringify(input.address) : null,
        version: 1,
        created_at: t,
        updated_at: t,
      }
      await writeRow(db, CUSTOMERS, row, 'insert')
      return toCustomer(row)
    },

    async get(tenantId: string, id: string): Promise<Customer> {
      return toCustomer(await load(db, tenantId, id))
    },

    async list(tenantId: string, page: { limit: number; cursor?: string | undefined }) {
      await requireTenant(db, tenantId)
      return pageByCursor(
        db,
        { table: 'customers', where: 'tenant_id = ?', args: [tenantId], reserve: SYNC_STATE_BYTES },
        page,
        toCustomer,
      )
    },

    async update(tenantId: string, id: string, patch: UpdateCustomer): Promise<Customer> {
      const { saved, changed } = await db.transaction(async (tx) => {
        const row = await load(tx, tenantId, id)
        const next: CustomerRow = {
          ...row,
          name: patch.name ?? row.name,
          email: patched(patch.email, row.email),
          phone: patched(patch.phone, row.phone),
          tax_number: patched(patch.taxNumber, row.tax_number),
          currency: patched(patch.currency, row.currency),
          address: patch.address === undefined ? row.address : patch.address && JSON.stringify(patch.address),
        }
        const stored = await saveChanged(tx, CUSTOMERS, row, next, now())
        const edited = stored.version !== row.version
        if (edited && outbox) await outbox.customerChanged(tx, tenantId, id)
        return { saved: stored, changed: edited }
      })
      if (changed) outbox?.committed()
      return toCustomer(saved)
    },
  }
}

export type Customers = ReturnType<typeof createCustomers>
