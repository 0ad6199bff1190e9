import type { ProviderId } from '../../shared/providers.ts'
import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../logging/logger.ts'
import type { ProviderLookup } from './activate.ts'
import type { createTokenAccess } from './token-access.ts'
import { toOrganisation, type TokenStore } from './token-store.ts'

/** At most one check with the provider per connection in this interval, whoever asks for it. */
export const CHECK_EVERY_MS = 5 * 60_000

type Outcome = 'works' | 'gone' | 'unknown'

const revokedError = (at: number) => ({
  code: 'connection_revoked' as const,
  message: 'The app was disconnected in the accounting software.',
  correlationId: null,
  at: new Date(at).toISOString(),
})

/**
 * Asking the provider whether a connection's access still stands, bounded. Status reads and the
 * unauthenticated QuickBooks Disconnect URL only ask for a check; the check is claimed by one
 * conditional UPDATE of the row's last_checked_at, so any number of concurrent askers in any
 * number of processes make at most one provider call per connection per CHECK_EVERY_MS, and it
 * runs in the background, never inside the request that asked. `scheduleCheck` is the seam where
 * the durable job queue takes over later: the claim becomes the job's dedupe, `run` its handler.
 * A check is advisory: only a definite answer about the grant (expired, revoked) changes the row.
 */
export function createChecks(deps: {
  db: Db
  store: TokenStore
  tokens: ReturnType<typeof createTokenAccess>
  providers: ProviderLookup
  log: Logger
  now: () => number
}) {
  const { db, store, tokens, providers, log, now } = deps
  const running = new Set<Promise<void>>()
  const isDue = (lastCheckedAt: number | null) => (lastCheckedAt ?? 0) + CHECK_EVERY_MS <= now()

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

  /** The check itself; a provider-side notice pending at the claim is answered by a definite outcome. */
  async function run(id: string, claimedAt: number, requestedAt: number | null) {
    const outcome = await probe(id)
    if (outcome === 'unknown' || requestedAt === null) return
    // QuickBooks answers a removal in QuickBooks like an expiry (invalid_grant); the notice tells them apart.
    if (outcome === 'gone') await store.setStatus(db, id, 'revoked', revokedError(now()), now(), 'expired')
    await db.run(
      'UPDATE connections SET check_requested_at = NULL WHERE id = ? AND check_requested_at <= ?',
      [id, claimedAt],
    )
  }

  /**
   * Starts this interval's check of an active connection unless one was already claimed, and answers
   * whether it did. Waits for the database only: the provider call runs in the background.
   */
  async function scheduleCheck(connectionId: string): Promise<boolean> {
    const at = now()
    const claimed = await db.get<{ check_requested_at: number | null }>(
      `UPDATE connections SET last_checked_at = ?1
       WHERE id = ?2 AND status = 'active' AND (last_checked_at IS NULL OR last_checked_at <= ?3)
       RETURNING check_requested_at`,
      [at, connectionId, at - CHECK_EVERY_MS],
    )
    if (!claimed) return false
    const done: Promise<void> = run(connectionId, at, claimed.check_requested_at)
      .catch((err: unknown) => log.error('connection check failed', { connection: connectionId, err }))
      .finally(() => running.delete(done))
    running.add(done)
    return true
  }

  return {
    scheduleCheck,
    isDue,

    /**
     * Someone says the app was removed for this organisation on the provider's side. Unauthenticated,
     * so it is only a reason to check: each active connection to it is checked now if its interval
     * allows, else the notice waits on the row for the next check (runRequested, or a status read).
     * After the first visit of an interval a visit only reads.
     */
    async notice(provider: ProviderId, organisationId: string): Promise<void> {
      const rows = await db.all<{
        id: string
        last_checked_at: number | null
        check_requested_at: number | null
      }>(
        `SELECT id, last_checked_at, check_requested_at FROM connections
         WHERE provider = ? AND organisation_id = ? AND status = 'active'`,
        [provider, organisationId],
      )
      for (const row of rows) {
        if (row.check_requested_at === null)
          await db.run(
            "UPDATE connections SET check_requested_at = ? WHERE id = ? AND status = 'active' AND check_requested_at IS NULL",
            [now(), row.id],
          )
        if (isDue(row.last_checked_at)) await scheduleCheck(row.id)
      }
    },

    /** Starts the checks that notices asked for and whose interval now allows one (maintenance). */
    async runRequested(): Promise<number> {
      const rows = await db.all<{ id: string }>(
        `SELECT id FROM connections WHERE check_requested_at IS NOT NULL AND status = 'active'
           AND (last_checked_at IS NULL OR last_checked_at <= ?)`,
        [now() - CHECK_EVERY_MS],
      )
      let started = 0
      for (const { id } of rows) if (await scheduleCheck(id)) started++
      return started
    },

    /** Resolves when every check started so far has finished (tests, shutdown). */
    async settled(): Promise<void> {
      while (running.size) await Promise.all(running)
    },
  }
}

export type Checks = ReturnType<typeof createChecks>
