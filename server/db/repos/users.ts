import type { Queryable } from '../client.ts'
import { newId } from '../../ids.ts'

export type Role = 'admin' | 'member'
export interface User {
  id: string
  tenantId: string
  externalId: string | null
  email: string | null
  name: string
  role: Role
}
interface UserRow {
  id: string
  tenant_id: string
  external_id: string | null
  email: string | null
  name: string
  role: Role
  password_hash: string | null
}
const toUser = (r: UserRow): User => ({
  id: r.id,
  tenantId: r.tenant_id,
  externalId: r.external_id,
  email: r.email,
  name: r.name,
  role: r.role,
})

export function createUsersRepo(db: Queryable, now: () => number = Date.now) {
  return {
    /** The host is the authority on its users: name, role and email follow each embed token. */
    async upsertExternal(input: {
      tenantId: string
      externalId: string
      name: string
      role: Role
      email?: string | undefined
    }) {
      const t = now()
      await db.run(
        `INSERT INTO users (id, tenant_id, external_id, email, name, role, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, external_id) DO UPDATE SET
           name = excluded.name, role = excluded.role, email = excluded.email, updated_at = excluded.updated_at
         WHERE name <> excluded.name OR role <> excluded.role OR email IS NOT excluded.email`,
        [
          newId('usr', t),
          input.tenantId,
          input.externalId,
          input.email ?? null,
          input.name,
          input.role,
          t,
          t,
        ],
      )
      const row = await db.get<UserRow>('SELECT * FROM users WHERE tenant_id = ? AND external_id = ?', [
        input.tenantId,
        input.externalId,
      ])
      return toUser(row!)
    },

    async createWithPassword(input: {
      tenantId: string
      email: string
      name: string
      role: Role
      passwordHash: string
    }) {
      const t = now()
      const id = newId('usr', t)
      await db.run(
        `INSERT INTO users (id, tenant_id, email, name, role, password_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, input.tenantId, input.email, input.name, input.role, input.passwordHash, t, t],
      )
      return {
        id,
        tenantId: input.tenantId,
        externalId: null,
        email: input.email,
        name: input.name,
        role: input.role,
      }
    },

    async findByEmailWithPassword(email: string): Promise<(User & { passwordHash: string }) | null> {
      const row = await db.get<UserRow>('SELECT * FROM users WHERE email = ? AND password_hash IS NOT NULL', [
        email,
      ])
      return row ? { ...toUser(row), passwordHash: row.password_hash! } : null
    },
  }
}
