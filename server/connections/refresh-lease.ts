import { randomBytes } from 'node:crypto'
import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'

/**
 * One refresher per connection across every process: a lease written into the connection's row
 * with a compare-and-set. A lease outlives a crashed holder by at most `ttlMs`. Waiters poll the
 * row (there is no cross-process notification in SQLite) with a short, growing pause, and give up
 * at a deadline: a holder's lease can never rightly run past the TTL, so a wait that lasts the TTL
 * plus a margin (for clock differences between processes) is waiting on something broken.
 */
export const LEASE_TTL_MS = 30_000
export const LEASE_WAIT_MARGIN_MS = 5_000
const MAX_PAUSE_MS = 100
const owner = () => `${process.pid}:${randomBytes(6).toString('hex')}`

export function createRefreshLease(deps: { db: Db; now: () => number; ttlMs?: number; marginMs?: number }) {
  const { db, now } = deps
  const ttl = deps.ttlMs ?? LEASE_TTL_MS
  const margin = deps.marginMs ?? LEASE_WAIT_MARGIN_MS
  return {
    /** Answers the owner id if the lease was free (or expired) and is now ours, else null. */
    async tryAcquire(connectionId: string): Promise<string | null> {
      const me = owner()
      // A lease without an expiry counts as expired, exactly as waitFree reads it: if the two
      // disagreed, a waiter would find the lease free, fail to take it, and spin.
      const { changes } = await db.run(
        `UPDATE connections SET lease_owner = ?, lease_expires_at = ?
         WHERE id = ? AND (lease_owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at <= ?)`,
        [me, now() + ttl, connectionId, now()],
      )
      return changes === 1 ? me : null
    },
    async release(connectionId: string, me: string) {
      await db.run(
        'UPDATE connections SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?',
        [connectionId, me],
      )
    },
    /** When a wait that starts now must give up. */
    waitDeadline: () => now() + ttl + margin,
    /** Waits until nobody holds the lease (or it expired); past `deadline`, fails with a retryable error. */
    async waitFree(connectionId: string, deadline: number) {
      for (let pause = 5; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
        const row = await db.get<{ lease_owner: string | null; lease_expires_at: number | null }>(
          'SELECT lease_owner, lease_expires_at FROM connections WHERE id = ?',
          [connectionId],
        )
        if (!row?.lease_owner || (row.lease_expires_at ?? 0) <= now()) return
        if (now() >= deadline) throw refreshTimeout(connectionId)
        await new Promise((resolve) => setTimeout(resolve, pause))
      }
    },
  }
}

export const refreshTimeout = (connectionId: string) =>
  new AppError('connection_refresh_timeout', {
    cause: new Error(`gave up waiting for the refresh lease of connection ${connectionId}`),
  })

export type RefreshLease = ReturnType<typeof createRefreshLease>
