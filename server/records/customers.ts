import type { CreateCustomer, Customer, UpdateCustomer } from '../../shared/api/customers.ts'
import type { Db } from '../db/client.ts'
import { newId } from '../ids.ts'
import {
  EXTERNAL_ID,
  iso,
  notFound,
  pageByCursor,
  requireTenant,
  writeRow,
  type UniqueField,
} from './common.ts'

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

const TARGET = {
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
} as const satisfies {
  table: string
  columns: readonly (keyof CustomerRow)[]
  noun: string
  unique: readonly UniqueField[]
}

export function createCustomers(deps: { db: Db; now?: () => number }) {
  const { db } = deps
  const now = deps.now ?? Date.now

  async function load(tenantId: string, id: string): Promise<CustomerRow> {
    const row = await db.get<CustomerRow>('SELECT * FROM customers WHERE id = ? AND tenant_id = ?', [
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
      await writeRow(db, TARGET, row, 'insert')
      return toCustomer(row)
    },

    async get(tenantId: string, id: string): Promise<Customer> {
      return toCustomer(await load(tenantId, id))
    },

    async list(tenantId: string, page: { limit: number; cursor?: string | undefined }) {
      await requireTenant(db, tenantId)
      const { rows, nextCursor } = await pageByCursor<CustomerRow>(
        db,
        { sql: 'SELECT * FROM customers WHERE tenant_id = ?', args: [tenantId] },
        page,
      )
      return { data: rows.map(toCustomer), nextCursor }
    },

    async update(tenantId: string, id: string, patch: UpdateCustomer): Promise<Customer> {
      return db.transaction(async (tx) => {
        const row = await tx.get<CustomerRow>('SELECT * FROM customers WHERE id = ? AND tenant_id = ?', [
          id,
          tenantId,
        ])
        if (!row) throw notFound('customer')
        const next: CustomerRow = {
          ...row,
          name: patch.name ?? row.name,
          email: patch.email === undefined ? row.email : patch.email,
          phone: patch.phone === undefined ? row.phone : patch.phone,
          tax_number: patch.taxNumber === undefined ? row.tax_number : patch.taxNumber,
          currency: patch.currency === undefined ? row.currency : patch.currency,
          address: patch.address === undefined ? row.address : patch.address && JSON.stringify(patch.address),
        }
        if (JSON.stringify(next) === JSON.stringify(row)) return toCustomer(row)
        next.version = row.version + 1
        next.updated_at = now()
        await tx.run(
          `UPDATE customers SET name = ?, email = ?, phone = ?, tax_number = ?, currency = ?, address = ?, version = ?, updated_at = ?
           WHERE id = ?`,
          [
            next.name,
            next.email,
            next.phone,
            next.tax_number,
            next.currency,
            next.address,
            next.version,
            next.updated_at,
            id,
          ],
        )
        return toCustomer(next)
      })
    },
  }
}

export type Customers = ReturnType<typeof createCustomers>
