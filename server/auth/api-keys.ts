import type { Db } from '../db/client.ts'
import { hashSecret, secretMatches } from '../crypto/hash.ts'
import { newId, randomSecret } from '../ids.ts'

/**
 * API keys for the host backend: `llk_<id>.<secret>`, shown once at creation; the database keeps
 * the id and SHA-256(secret). Revoked keys stop working at once. `last_used_at` is written at most
 * once a minute per key, so a busy integration does not turn every read into a write.
 */
export interface ApiKey {
  id: string
  name: string
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
}

interface ApiKeyRow {
  id: string
  name: string
  secret_hash: Uint8Array | ArrayBuffer
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

const LAST_USED_RESOLUTION_MS = 60_000
const toApiKey = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
})

export function createApiKeys(deps: { db: Db; now?: () => number }) {
  const { db } = deps
  const now = deps.now ?? Date.now
  return {
    async create(name: string): Promise<{ key: string; apiKey: ApiKey }> {
      const id = newId('key').slice(4)
      const secret = randomSecret(24)
      const createdAt = now()
      await db.run('INSERT INTO api_keys (id, name, secret_hash, created_at) VALUES (?, ?, ?, ?)', [
        id,
        name,
        hashSecret(secret),
        createdAt,
      ])
      return {
        key: `llk_${id}.${secret}`,
        apiKey: { id, name, createdAt, lastUsedAt: null, revokedAt: null },
      }
    },

    async verify(key: string): Promise<ApiKey | null> {
      const match = /^llk_([a-z2-7]{26})\.([a-z2-7]{30,})$/.exec(key)
      if (!match) return null
      const [, id = '', secret = ''] = match
      const row = await db.get<ApiKeyRow>('SELECT * FROM api_keys WHERE id = ?', [id])
      if (!row || row.revoked_at !== null || !secretMatches(secret, row.secret_hash)) return null
      const t = now()
      if (row.last_used_at === null || t - row.last_used_at >= LAST_USED_RESOLUTION_MS)
        await db.run('UPDATE api_keys SET last_used_at = ? WHERE id = ?', [t, id])
      return toApiKey({ ...row, last_used_at: t })
    },

    async list(): Promise<ApiKey[]> {
      return (await db.all<ApiKeyRow>('SELECT * FROM api_keys ORDER BY created_at')).map(toApiKey)
    },

    /** Answers false when no such key exists or it was revoked already. */
    async revoke(id: string): Promise<boolean> {
      const { changes } = await db.run(
        'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
        [now(), id],
      )
      return changes === 1
    },
  }
}

export type ApiKeys = ReturnType<typeof createApiKeys>
