import { randomBytes } from 'node:crypto'
import type { Db } from '../db/client.ts'

/**
 * One refresher per connection across every process: a lease written into the connection's row
 * with a compare-and-set. A lease outlives a crashed holder by at most `ttlMs`. Waiters poll the
 * row (there is no cross-process notification in SQLite) with a short, growing pause.
 */
export const LEASE_TTL_MS = 30_000
const owner = () => `${process.pid}:${randomBytes(6).toString('hex')}`

export function createRefreshLease(deps: { db: Db; now: () => number; ttlMs?: number }) {
  const { db, now } = deps
  const ttl = deps.ttlMs ?? LEASE_TTL_MS
  return {
    /** Answers the owner id if the lease was free (or expired) and is now ours, else null. */
    async tryAcquire(connectionId: string): Promise<string | null> {
      const me = owner()
      const { changes } = await db.run(
        `UPDATE connections SET lease_owner = ?, lease_expires_at = ?
         WHERE id = ? AND (lease_owner IS NULL OR lease_expires_at <= ?)`,
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
    /** Waits until nobody holds the lease (or it expired). */
    async waitFree(connectionId: string) {
      for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
        const row = await db.get<{ lease_owner: string | null; lease_expires_at: number | null }>(
          'SELECT lease_owner, lease_expires_at FROM connections WHERE id = ?',
          [connectionId],
        )
        if (!row?.lease_owner || (row.lease_expires_at ?? 0) <= now()) return
        await new Promise((resolve) => setTimeout(resolve, pause))
      }
    },
  }
}

export type RefreshLease = ReturnType<typeof createRefreshLease>
