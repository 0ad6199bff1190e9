import type { Queryable } from '../client.ts'

export interface Tenant {
  id: string
  name: string
  createdAt: number
  updatedAt: number
}
interface TenantRow {
  id: string
  name: string
  created_at: number
  updated_at: number
}
const toTenant = (r: TenantRow): Tenant => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

export function createTenantsRepo(db: Queryable, now: () => number = Date.now) {
  return {
    async get(id: string): Promise<Tenant | null> {
      const row = await db.get<TenantRow>('SELECT * FROM tenants WHERE id = ?', [id])
      return row ? toTenant(row) : null
    },
    /** Creates the tenant, or renames it when `name` is given and differs. */
    async upsert(id: string, name?: string): Promise<{ tenant: Tenant; created: boolean }> {
      const t = now()
      const { changes } = await db.run(
        'INSERT INTO tenants (id, name, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
        [id, name ?? id, t, t],
      )
      if (!changes && name !== undefined)
        await db.run('UPDATE tenants SET name = ?, updated_at = ? WHERE id = ? AND name <> ?', [
          name,
          t,
          id,
          name,
        ])
      const row = await db.get<TenantRow>('SELECT * FROM tenants WHERE id = ?', [id])
      return { tenant: toTenant(row!), created: changes === 1 }
    },
  }
}
