import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'

/**
 * Failed sign-ins are counted per account and per client address in the database, so every BFF
 * process sees the same counts. Past the limit within the window the key is locked for the
 * window; a success clears the account's count (not the address's: one address may try many).
 */
export const THROTTLE = {
  account: { limit: 5, windowMs: 15 * 60_000 },
  address: { limit: 50, windowMs: 15 * 60_000 },
} as const

type Kind = keyof typeof THROTTLE
const keyOf = (kind: Kind, value: string) => `${kind}:${value.toLowerCase()}`

interface AttemptRow {
  failures: number
  window_start: number
  locked_until: number
}

export function createLoginThrottle(deps: { db: Db; now?: () => number }) {
  const now = deps.now ?? Date.now

  async function lockedFor(key: string): Promise<number> {
    const row = await deps.db.get<AttemptRow>('SELECT * FROM login_attempts WHERE key = ?', [key])
    return row ? Math.max(0, row.locked_until - now()) : 0
  }

  return {
    /** Throws login_throttled (with Retry-After) if the account or the address is locked. */
    async check(account: string, address: string) {
      const wait = Math.max(
        await lockedFor(keyOf('account', account)),
        await lockedFor(keyOf('address', address)),
      )
      if (wait > 0)
        throw new AppError('login_throttled', { headers: { 'Retry-After': String(Math.ceil(wait / 1000)) } })
    },

    async failure(account: string, address: string) {
      const t = now()
      for (const [kind, value] of [
        ['account', account],
        ['address', address],
      ] as const) {
        const { limit, windowMs } = THROTTLE[kind]
        // One statement: start a new window if the old one ended, count, and lock at the limit.
        await deps.db.run(
          `INSERT INTO login_attempts (key, failures, window_start, locked_until) VALUES (?1, 1, ?2, 0)
           ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE failures + 1 END,
             window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END,
             locked_until = CASE
               WHEN (CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE failures + 1 END) >= ?4 THEN ?2 + ?3
               ELSE locked_until END`,
          [keyOf(kind, value), t, windowMs, limit],
        )
      }
    },

    async success(account: string) {
      await deps.db.run('DELETE FROM login_attempts WHERE key = ?', [keyOf('account', account)])
    },
  }
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>
