import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'

/**
 * Counted attempts, in the database so every BFF process sees the same counts: failed sign-ins per
 * account and per client address, and sign-ups per client address. Past the limit within the
 * window the key is locked until the window ends. A successful sign-in clears the account's count
 * (not the address's: one address may try many accounts).
 */
export const THROTTLE = {
  account: { limit: 5, windowMs: 15 * 60_000 },
  address: { limit: 50, windowMs: 15 * 60_000 },
  signup: { limit: 10, windowMs: 60 * 60_000 },
} as const

type Kind = keyof typeof THROTTLE
const keyOf = (kind: Kind, value: string) => `${kind}:${value.toLowerCase()}`

interface AttemptRow {
  locked_until: number
}

export function createLoginThrottle(deps: { db: Db; now?: () => number }) {
  const now = deps.now ?? Date.now

  async function lockedFor(kind: Kind, value: string): Promise<number> {
    const row = await deps.db.get<AttemptRow>('SELECT locked_until FROM login_attempts WHERE key = ?', [
      keyOf(kind, value),
    ])
    return row ? Math.max(0, row.locked_until - now()) : 0
  }

  /** Throws login_throttled (with Retry-After) if any of these keys is locked. */
  async function check(...keys: [Kind, string][]) {
    let wait = 0
    for (const [kind, value] of keys) wait = Math.max(wait, await lockedFor(kind, value))
    if (wait > 0)
      throw new AppError('login_throttled', { headers: { 'Retry-After': String(Math.ceil(wait / 1000)) } })
  }

  /** Counts one attempt; one statement starts a new window if the old one ended, and locks at the limit. */
  async function count(kind: Kind, value: string) {
    const { limit, windowMs } = THROTTLE[kind]
    await deps.db.run(
      `INSERT INTO login_attempts (key, failures, window_start, locked_until) VALUES (?1, 1, ?2, CASE WHEN ?4 <= 1 THEN ?2 + ?3 ELSE 0 END)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE failures + 1 END,
         window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END,
         locked_until = CASE
           WHEN (CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE failures + 1 END) >= ?4 THEN ?2 + ?3
           ELSE locked_until END`,
      [keyOf(kind, value), now(), windowMs, limit],
    )
  }

  return {
    check: (account: string, address: string) => check(['account', account], ['address', address]),
    async failure(account: string, address: string) {
      await count('account', account)
      await count('address', address)
    },
    async success(account: string) {
      await deps.db.run('DELETE FROM login_attempts WHERE key = ?', [keyOf('account', account)])
    },
    /** Sign-ups from one address: at most THROTTLE.signup.limit an hour. */
    checkSignUp: (address: string) => check(['signup', address]),
    countSignUp: (address: string) => count('signup', address),
  }
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>
