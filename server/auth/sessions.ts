import type { Db } from '../db/client.ts'
import { createReadCache, type Stamp } from '../db/read-cache.ts'
import { hashSecret, secretMatches } from '../crypto/hash.ts'
import { randomSecret } from '../ids.ts'

/**
 * Sessions the way Lucia's current guide builds them: the token is `id.secret`, the database keeps
 * the id and SHA-256(secret), and validation compares the hash in constant time. Tokens travel as
 * bearer tokens held in the widget's memory: no cookies, so no third-party-cookie or CSRF exposure.
 */
export interface Session {
  id: string
  tenantId: string
  userId: string
  kind: 'embed' | 'password'
  createdAt: number
  expiresAt: number
}

export interface SessionUser {
  session: Session
  user: { id: string; name: string; role: 'admin' | 'member'; email: string | null }
  tenant: { id: string; name: string }
}

interface SessionRow {
  id: string
  secret_hash: Uint8Array | ArrayBuffer
  tenant_id: string
  user_id: string
  kind: 'embed' | 'password'
  created_at: number
  expires_at: number
  user_name: string
  user_role: 'admin' | 'member'
  user_email: string | null
  tenant_name: string
}

const SESSION_READ = `SELECT s.*, u.name AS user_name, u.role AS user_role, u.email AS user_email, t.name AS tenant_name
  FROM sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = s.tenant_id
  WHERE s.id = ?`

/** Sessions kept in memory per process (see read-cache.ts): the busiest embeds' sessions, by far. */
const SESSIONS_KEPT = 10_000

export function createSessions(deps: { db: Db; ttlSeconds: number; now?: () => number }) {
  const { db } = deps
  const now = deps.now ?? Date.now
  // Every request reads its session: kept while the database is unchanged, so a revoked session,
  // in this process or another, is refused on the very next request. Unknown ids are not kept.
  const rows = createReadCache<SessionRow | undefined>(db, { max: SESSIONS_KEPT })
  // What validate answers for a kept row, made once per row read (frozen: requests share it).
  const users = new WeakMap<SessionRow, SessionUser>()

  return {
    async create(input: { tenantId: string; userId: string; kind: Session['kind'] }) {
      const id = randomSecret(15) // 120 bits, 24 characters
      const secret = randomSecret(20) // 160 bits
      const createdAt = now()
      const expiresAt = createdAt + deps.ttlSeconds * 1000
      await db.run(
        'INSERT INTO sessions (id, secret_hash, tenant_id, user_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [id, hashSecret(secret), input.tenantId, input.userId, input.kind, createdAt, expiresAt],
      )
      const session: Session = { id, ...input, createdAt, expiresAt }
      return { token: `${id}.${secret}`, session }
    },

    /** The session and its user for a token, or null when unknown, tampered with or expired. */
    async validate(token: string, stamp?: Stamp): Promise<SessionUser | null> {
      const [id, secret, ...rest] = token.split('.')
      if (!id || !secret || rest.length) return null
      const row = await rows.read(
        id,
        now(),
        async () => {
          const value = await db.get<SessionRow>(SESSION_READ, [id])
          return { value, keep: value !== undefined }
        },
        stamp,
      )
      if (!row || !secretMatches(secret, row.secret_hash)) return null
      if (row.expires_at <= now()) {
        await db.run('DELETE FROM sessions WHERE id = ?', [id])
        return null
      }
      let found = users.get(row)
      if (!found) {
        found = Object.freeze({
          session: Object.freeze({
            id: row.id,
            tenantId: row.tenant_id,
            userId: row.user_id,
            kind: row.kind,
            createdAt: row.created_at,
            expiresAt: row.expires_at,
          }),
          user: Object.freeze({
            id: row.user_id,
            name: row.user_name,
            role: row.user_role,
            email: row.user_email,
          }),
          tenant: Object.freeze({ id: row.tenant_id, name: row.tenant_name }),
        })
        users.set(row, found)
      }
      return found
    },

    async invalidate(sessionId: string) {
      await db.run('DELETE FROM sessions WHERE id = ?', [sessionId])
    },

    async deleteExpired() {
      return (await db.run('DELETE FROM sessions WHERE expires_at <= ?', [now()])).changes
    },
  }
}

export type Sessions = ReturnType<typeof createSessions>
