import { createHash } from 'node:crypto'
import type { Db } from '../client.ts'

/**
 * Stored outcomes of POST requests by (caller, Idempotency-Key), kept for a day. The request is
 * fingerprinted by method, path and canonical JSON body, so the same key with another body is
 * told apart from a retry.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000

export type Claim =
  | { kind: 'new' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' }

interface KeyRow {
  request_hash: string
  state: 'in_progress' | 'done'
  response_status: number | null
  response_body: string | null
  created_at: number
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    )
  return value
}

export function fingerprint(method: string, path: string, body: string): string {
  let normal = body
  try {
    normal = JSON.stringify(canonical(JSON.parse(body)))
  } catch {
    // not JSON: the raw text is the fingerprint
  }
  return createHash('sha256').update(`${method} ${path}\n${normal}`).digest('hex')
}

export function createIdempotency(deps: { db: Db; now: () => number }) {
  const { db, now } = deps
  return {
    /** Claims the key for this request in one statement, or tells what is already there. */
    async claim(scope: string, key: string, requestHash: string): Promise<Claim> {
      const t = now()
      await db.run('DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND created_at <= ?', [
        scope,
        key,
        t - IDEMPOTENCY_TTL_MS,
      ])
      const { changes } = await db.run(
        `INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at) VALUES (?, ?, ?, 'in_progress', ?)
         ON CONFLICT (scope, key) DO NOTHING`,
        [scope, key, requestHash, t],
      )
      if (changes === 1) return { kind: 'new' }
      const row = await db.get<KeyRow>('SELECT * FROM idempotency_keys WHERE scope = ? AND key = ?', [
        scope,
        key,
      ])
      if (!row) return this.claim(scope, key, requestHash) // expired and removed in between
      if (row.request_hash !== requestHash) return { kind: 'mismatch' }
      if (row.state === 'in_progress') return { kind: 'in_progress' }
      return { kind: 'replay', status: row.response_status ?? 200, body: row.response_body ?? '' }
    },

    async complete(scope: string, key: string, status: number, body: string) {
      await db.run(
        "UPDATE idempotency_keys SET state = 'done', response_status = ?, response_body = ? WHERE scope = ? AND key = ?",
        [status, body, scope, key],
      )
    },

    /** Forgets the claim: a server fault or a refusal is not the request's outcome, so a retry may act. */
    async release(scope: string, key: string) {
      await db.run('DELETE FROM idempotency_keys WHERE scope = ? AND key = ?', [scope, key])
    },

    async deleteExpired() {
      return (
        await db.run('DELETE FROM idempotency_keys WHERE created_at <= ?', [now() - IDEMPOTENCY_TTL_MS])
      ).changes
    },
  }
}

export type Idempotency = ReturnType<typeof createIdempotency>
