import type { Connection, OutstandingWork, PendingChoice } from '../../shared/api/connections.ts'
import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import type { OAuthAttempts } from '../auth/oauth-state.ts'
import type { Db } from '../db/client.ts'
import { createReadCache, type Stamp } from '../db/read-cache.ts'
import type { TokenCipher } from '../crypto/token-cipher.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../logging/logger.ts'
import type { ProviderOrganisation } from '../providers/provider.ts'
import { createActivation, type ProviderLookup } from './activate.ts'
import { createChecks, type CheckJobs } from './checks.ts'
import { createConsent } from './consent.ts'
import { outstandingWork, summaryOf } from './outstanding.ts'
import { createTokenAccess } from './token-access.ts'
import { createTokenStore, toConnection } from './token-store.ts'

export type { ProviderLookup } from './activate.ts'
export type { CallbackResult } from './consent.ts'
export { CHECK_EVERY_MS, CHECK_JOB, ROUTINE_CHECK_EVERY_MS, type CheckJobs } from './checks.ts'

interface StatusView {
  connection: Connection | null
  pendingChoice: PendingChoice | null
}
/** Status views kept in memory per process, one per tenant. */
const STATUS_VIEWS_KEPT = 10_000

/** A tenant's accounting connection: consent, status, tokens for provider calls, disconnect. */
export function createConnections(deps: {
  db: Db
  cipher: TokenCipher
  providers: ProviderLookup
  attempts: OAuthAttempts
  config: { oauthRedirectUris: string[]; allowedOrigins: string[]; publicUrl: string }
  /** The job queue the connection checks run from. */
  jobs: CheckJobs
  log: Logger
  now: () => number
}) {
  const { db, providers, log, now } = deps
  const store = createTokenStore(deps.cipher)
  const tokens = createTokenAccess({ db, store, providers, now, log })
  const activation = createActivation({ db, store, providers, log, now })
  const checks = createChecks({ db, store, tokens, providers, jobs: deps.jobs, log, now })
  const views = createReadCache<StatusView>(db, { max: STATUS_VIEWS_KEPT })

  /**
   * What the panel shows: the connection and any pending organisation choice, read in one query,
   * and `until`, when the same rows would answer otherwise (the pending choice expires). It only
   * reads: a grant revoked on the provider's side shows once a check job (checks.ts) found it.
   */
  async function statusUntil(tenantId: string): Promise<{ status: StatusView; until: number }> {
    const view = await store.view(db, tenantId, now())
    const pending = view.pending
    return {
      until: pending?.expiresAt ?? Infinity,
      status: {
        connection: view.connection ? toConnection(view.connection) : null,
        pendingChoice: pending
          ? {
              attemptId: pending.id,
              provider: pending.provider,
              organisations: (JSON.parse(pending.organisations) as ProviderOrganisation[]).map(
                ({ id, name }) => ({ id, name }),
              ),
              expiresAt: new Date(pending.expiresAt).toISOString(),
            }
          : null,
      },
    }
  }

  return {
    tokens,
    checks,
    ...createConsent({ ...deps, store, activation }),

    /** The status (see statusUntil), kept in memory while the database is unchanged (read-cache.ts). */
    status: (tenantId: string, stamp?: Stamp) =>
      views.read(
        tenantId,
        now(),
        async () => {
          const { status, until } = await statusUntil(tenantId)
          return { value: status, until }
        },
        stamp,
      ),

    /**
     * The provider says a user removed the app for an organisation (QuickBooks' Disconnect URL). The
     * request is unauthenticated and can be repeated at will, so it never calls the provider: it
     * records the notice and queues a check (see checks.ts); a connection whose grant then no longer
     * works is marked revoked, one that still works is left alone.
     */
    providerSideDisconnect: (provider: ProviderId, organisationId: string) =>
      checks.notice(provider, organisationId),

    /** What the current connection still has to do, for the Disconnect and switch confirmations. */
    async outstanding(tenantId: string): Promise<OutstandingWork> {
      const row = await store.current(db, tenantId)
      if (!row) throw new AppError('no_connection')
      const work = await outstandingWork(db, row.id)
      return { ...work, summary: summaryOf(work, PROVIDERS[row.provider].name) }
    },

    /** Revokes at the provider (and removes the Xero connection), deletes local tokens, keeps the rest. */
    async disconnect(tenantId: string) {
      const row = await store.current(db, tenantId)
      if (!row) throw new AppError('no_connection')
      await activation.revokeAtProvider(row)
      await store.disconnect(db, row.id, now())
    },
  }
}

export type Connections = ReturnType<typeof createConnections>
