import type { ProviderId } from '../../shared/providers.ts'
import type { Db, Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../logging/logger.ts'
import type { ProviderLookup } from './activate.ts'
import type { createTokenAccess } from './token-access.ts'
import { toOrganisation, type TokenStore } from './token-store.ts'

/** At most one check with the provider per connection in this interval, whoever asks for it. */
export const CHECK_EVERY_MS = 5 * 60_000
/**
 * A connection nobody asked about is still checked this often, so a removal on the provider's side
 * shows in the panel. Not more often: a check may refresh the grant, and idle grants should not
 * rotate their tokens all day for nothing.
 */
export const ROUTINE_CHECK_EVERY_MS = 60 * 60_000
/** The job kind of one connection's check. */
export const CHECK_JOB = 'check_connection'
/** Most checks one scan queues; the next scan, a minute later, queues the rest. */
const SCAN_LIMIT = 100
/**
 * Routine checks of one scan are spread this far apart (100 over the minute to the next scan), so
 * they trickle beside the sync's jobs instead of filling every worker at once.
 */
export const ROUTINE_SPREAD_MS = 600

/** Where checks go to run: the durable job queue (sync/queue.ts), seen only through this much. */
export interface CheckJobs {
  enqueue(
    q: Queryable,
    job: {
      kind: string
      tenantId: string
      connectionId: string
      payload: unknown
      runAt: number
      dedupeKey: string
    },
  ): Promise<{ created: boolean }>
  notify(): void
}

type Outcome = 'works' | 'gone' | 'unknown'

const revokedError = (at: number) => ({
  code: 'connection_revoked' as const,
  message: 'The app was disconnected in the accounting software.',
  correlationId: null,
  at: new Date(at).toISOString(),
})

const dedupeKey = (connectionId: string) => `check:${connectionId}`

/**
 * Asking the provider whether a connection's access still stands, as jobs. Nothing that answers a
 * request calls the provider: the unauthenticated QuickBooks Disconnect URL records the notice and
 * queues a check; a scan (an installation job, every minute) queues the checks that notices asked
 * for and the routine ones. One check per connection is queued at a time (the queue's dedupe key),
 * and the check claims its interval by one conditional UPDATE of last_checked_at, so any number of
 * askers in any number of processes make at most one provider call per connection per
 * CHECK_EVERY_MS. A check is advisory: only a definite answer about the grant changes the row.
 */
export function createChecks(deps: {
  db: Db
  store: TokenStore
  tokens: ReturnType<typeof createTokenAccess>
  providers: ProviderLookup
  jobs: CheckJobs
  log: Logger
  now: () => number
}) {
  const { db, store, tokens, providers, jobs, now } = deps

  async function probe(id: string): Promise<Outcome> {
    const row = await store.byId(db, id)
    const adapter = row && providers.get(row.provider)
    if (!row || row.status !== 'active' || !adapter) return 'unknown'
    try {
      await tokens.withAccessToken(id, (access) => adapter.organisations.check(access, toOrganisation(row)), {
        advisory: true,
      })
      return 'works'
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      return err.code === 'connection_expired' || err.code === 'connection_revoked' ? 'gone' : 'unknown'
    }
  }

  /** Queues a check of one connection for when its interval allows (one queued per connection). */
  const enqueue = (
    q: Queryable,
    row: { id: string; tenant_id: string; last_checked_at: number | null },
    delayMs = 0,
  ) =>
    jobs.enqueue(q, {
      kind: CHECK_JOB,
      tenantId: row.tenant_id,
      connectionId: row.id,
      payload: null,
      runAt: Math.max(now() + delayMs, (row.last_checked_at ?? 0) + CHECK_EVERY_MS),
      dedupeKey: dedupeKey(row.id),
    })

  return {
    /**
     * The check itself (the job's handler). Claims this interval's check; when another check took it,
     * does nothing (a notice still pending waits on the row for the next scan). A notice pending at
     * the claim is answered by a definite outcome only.
     */
    async run(id: string): Promise<void> {
      const claimedAt = now()
      const claimed = await db.get<{ check_requested_at: number | null }>(
        `UPDATE connections SET last_checked_at = ?1
         WHERE id = ?2 AND status = 'active' AND (last_checked_at IS NULL OR last_checked_at <= ?3)
         RETURNING check_requested_at`,
        [claimedAt, id, claimedAt - CHECK_EVERY_MS],
      )
      if (!claimed) return
      const outcome = await probe(id)
      if (outcome === 'unknown' || claimed.check_requested_at === null) return
      // QuickBooks answers a removal in QuickBooks like an expiry (invalid_grant); the notice tells them apart.
      if (outcome === 'gone') await store.setStatus(db, id, 'revoked', revokedError(now()), now(), 'expired')
      await db.run(
        'UPDATE connections SET check_requested_at = NULL WHERE id = ? AND check_requested_at <= ?',
        [id, claimedAt],
      )
    },

    /**
     * Someone says the app was removed for this organisation on the provider's side. Unauthenticated
     * and repeatable at will, so it only records the notice and queues a check of each active
     * connection to it; once both are there, a visit only reads.
     */
    async notice(provider: ProviderId, organisationId: string): Promise<void> {
      const rows = await db.all<{
        id: string
        tenant_id: string
        last_checked_at: number | null
        check_requested_at: number | null
        queued: number
      }>(
        `SELECT c.id, c.tenant_id, c.last_checked_at, c.check_requested_at,
           EXISTS (SELECT 1 FROM jobs j WHERE j.dedupe_key = 'check:' || c.id AND j.state = 'queued') AS queued
         FROM connections c WHERE c.provider = ? AND c.organisation_id = ? AND c.status = 'active'`,
        [provider, organisationId],
      )
      const todo = rows.filter((r) => r.check_requested_at === null || r.queued === 0)
      if (todo.length === 0) return
      await db.transaction(async (tx) => {
        for (const row of todo) {
          await tx.run(
            "UPDATE connections SET check_requested_at = ? WHERE id = ? AND status = 'active' AND check_requested_at IS NULL",
            [now(), row.id],
          )
          await enqueue(tx, row)
        }
      })
      jobs.notify()
    },

    /**
     * Queues the checks now due (the scan job): first those that notices asked for once their
     * interval allows, to run now, then the routine ones, spread out. Answers how many it queued.
     */
    async enqueueDue(): Promise<number> {
      const at = now()
      const rows = await db.all<{
        id: string
        tenant_id: string
        last_checked_at: number | null
        requested: number
      }>(
        `SELECT c.id, c.tenant_id, c.last_checked_at, c.check_requested_at IS NOT NULL AS requested
         FROM connections c
         WHERE c.status = 'active'
           AND (c.last_checked_at IS NULL OR c.last_checked_at <= ?1
             OR (c.check_requested_at IS NOT NULL AND c.last_checked_at <= ?2))
           AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.dedupe_key = 'check:' || c.id AND j.state IN ('queued', 'running'))
         ORDER BY c.check_requested_at IS NULL, c.last_checked_at LIMIT ?3`,
        [at - ROUTINE_CHECK_EVERY_MS, at - CHECK_EVERY_MS, SCAN_LIMIT],
      )
      if (rows.length === 0) return 0
      let queued = 0
      let routine = 0
      await db.transaction(async (tx) => {
        for (const row of rows) {
          const delayMs = row.requested ? 0 : ROUTINE_SPREAD_MS * routine++
          if ((await enqueue(tx, row, delayMs)).created) queued++
        }
      })
      jobs.notify()
      return queued
    },
  }
}

export type Checks = ReturnType<typeof createChecks>
