import type { Db, Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'

/**
 * Throttles for sign-in and sign-up, after OWASP's Authentication and Credential Stuffing
 * Prevention cheat sheets. The counts live in the database, so every BFF process sees the same ones.
 *
 * An attempt reserves a slot in each of its counters BEFORE the password is hashed or verified:
 * one atomic UPDATE … RETURNING per counter, all in one write transaction, so N concurrent attempts
 * can never get more than the limit evaluated. The attempt then settles: a failed sign-in keeps
 * its reservations (they are the failure count); a successful one gives them back, so a success is
 * never counted as a failure (but does not erase earlier failures either). Sign-ups keep theirs,
 * conflicts included (each reveals whether an address is registered).
 *
 * Counters, each over a fixed window from its first attempt:
 * - `pair` (account + client address): 5 failures per 15 minutes, then that address is refused for
 *   that account until the window ends. Keyed by the address too, so guessing from elsewhere
 *   cannot lock the owner out.
 * - `address`: 50 failed sign-ins per 15 minutes from one address, across all accounts.
 * - `account` (all addresses): a ceiling that slows but never refuses for long: after 10 failures
 *   in the window, the n-th failure makes the next attempt wait 1 s × 2^(n − 10), at most 60 s.
 * - `signup`: 10 sign-ups an hour from one address.
 * A refused attempt answers login_throttled (429) with Retry-After, and counts nothing.
 */
export const THROTTLE: Readonly<Record<Kind, Readonly<Limit>>> = {
  pair: { limit: 5, windowMs: 15 * 60_000 },
  address: { limit: 50, windowMs: 15 * 60_000 },
  account: { limit: 10, windowMs: 15 * 60_000, delayMs: 1000, maxDelayMs: 60_000 },
  signup: { limit: 10, windowMs: 60 * 60_000 },
}

interface Limit {
  limit: number
  windowMs: number
  /** Set for a counter that slows instead of refusing until the window ends. */
  delayMs?: number
  maxDelayMs?: number
}
type Kind = 'pair' | 'address' | 'account' | 'signup'

type Key = [Kind, string]
const keyOf = ([kind, value]: Key) => `${kind}:${value.toLowerCase()}`

/**
 * `locked_until` is the earliest time the next attempt is evaluated. At the limit, a counter
 * without delays locks until its window ends; one with delays waits delayMs × 2^(n − limit).
 * ?1 key · ?2 now · ?3 windowMs · ?4 limit · ?5 delayMs · ?6 maxDelayMs
 */
const FRESH = 'window_start + ?3 <= ?2'
const COUNT = `CASE WHEN ${FRESH} THEN 1 ELSE failures + 1 END`
const START = `CASE WHEN ${FRESH} THEN ?2 ELSE window_start END`
const RESERVE = `UPDATE login_attempts SET
    failures = ${COUNT},
    window_start = ${START},
    locked_until = CASE
      WHEN ${COUNT} < ?4 THEN 0
      WHEN ?5 = 0 THEN ${START} + ?3
      ELSE ?2 + min(?6, ?5 << min(${COUNT} - ?4, 32)) END
  WHERE key = ?1 AND locked_until <= ?2
  RETURNING window_start`

interface Reserved {
  key: Key
  windowStart: number
}

export function createLoginThrottle(deps: { db: Db; now?: () => number }) {
  const now = deps.now ?? Date.now

  async function reserveOne(tx: Queryable, key: Key, at: number): Promise<Reserved> {
    const { limit, windowMs, delayMs = 0, maxDelayMs = 0 } = THROTTLE[key[0]]
    await tx.run(
      'INSERT OR IGNORE INTO login_attempts (key, failures, window_start, locked_until) VALUES (?, 0, 0, 0)',
      [keyOf(key)],
    )
    const row = await tx.get<{ window_start: number }>(RESERVE, [
      keyOf(key),
      at,
      windowMs,
      limit,
      delayMs,
      maxDelayMs,
    ])
    if (row) return { key, windowStart: row.window_start }
    const locked = await tx.get<{ locked_until: number }>(
      'SELECT locked_until FROM login_attempts WHERE key = ?',
      [keyOf(key)],
    )
    const wait = Math.max(1, Math.ceil(((locked?.locked_until ?? at) - at) / 1000))
    throw new AppError('login_throttled', { headers: { 'Retry-After': String(wait) } })
  }

  /** All or nothing: a refusal rolls back the slots already taken by this attempt. */
  const reserve = (...keys: Key[]) =>
    deps.db.transaction(async (tx) => {
      const at = now()
      const reserved: Reserved[] = []
      for (const key of keys) reserved.push(await reserveOne(tx, key, at))
      return reserved
    })

  /**
   * Gives a slot back, unless its window has since been restarted (it is no longer counted). A
   * counter back at zero is deleted, so successful sign-ins leave no rows behind; a reservation
   * cannot slip in between, as it runs in a write transaction.
   */
  async function giveBack({ key, windowStart }: Reserved) {
    await deps.db.run(
      `UPDATE login_attempts SET failures = failures - 1,
         locked_until = CASE WHEN failures - 1 < ?3 THEN 0 ELSE locked_until END
       WHERE key = ?1 AND window_start = ?2 AND failures > 0`,
      [keyOf(key), windowStart, THROTTLE[key[0]].limit],
    )
    await deps.db.run('DELETE FROM login_attempts WHERE key = ? AND failures = 0', [keyOf(key)])
  }

  return {
    /** Reserves a sign-in attempt (or throws login_throttled); call `succeeded` if the password was right. */
    async signIn(account: string, address: string) {
      const reserved = await reserve(
        ['pair', `${account}|${address}`],
        ['address', address],
        ['account', account],
      )
      return {
        async succeeded() {
          for (const r of reserved) await giveBack(r)
        },
      }
    },
    /** Reserves a sign-up from this address (or throws login_throttled). */
    async signUp(address: string) {
      await reserve(['signup', address])
    },
  }
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>
