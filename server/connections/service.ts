import type { Connection, PendingChoice } from '../../shared/api/connections.ts'
import type { ProviderId } from '../../shared/providers.ts'
import type { OAuthAttempts } from '../auth/oauth-state.ts'
import type { Db } from '../db/client.ts'
import type { TokenCipher } from '../crypto/token-cipher.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../logging/logger.ts'
import { ProviderError, type ProviderOrganisation } from '../providers/provider.ts'
import { createActivation, requireAdapter, type ProviderLookup } from './activate.ts'
import { createConsent } from './consent.ts'
import { createTokenAccess } from './token-access.ts'
import { createTokenStore, toConnection, toOrganisation, type ConnectionRow } from './token-store.ts'

export type { ProviderLookup } from './activate.ts'
export type { CallbackResult } from './consent.ts'

const revokedError = (at: number) => ({
  code: 'connection_revoked' as const,
  message: 'The app was disconnected in the accounting software.',
  at: new Date(at).toISOString(),
})

/** How often the status route asks the provider whether access still stands. */
export const CHECK_EVERY_MS = 5 * 60_000

/** A tenant's accounting connection: consent, status, tokens for provider calls, disconnect. */
export function createConnections(deps: {
  db: Db
  cipher: TokenCipher
  providers: ProviderLookup
  attempts: OAuthAttempts
  config: { oauthRedirectUris: string[]; allowedOrigins: string[]; publicUrl: string }
  log: Logger
  now: () => number
}) {
  const { db, providers, log, now } = deps
  const store = createTokenStore(deps.cipher)
  const tokens = createTokenAccess({ db, store, providers, now, log })
  const activation = createActivation({ db, store, providers, log, now })

  /** Asks the provider whether access still stands; token-access records what it says. */
  async function check(row: ConnectionRow) {
    await db.run('UPDATE connections SET last_checked_at = ? WHERE id = ?', [now(), row.id])
    await tokens
      .withAccessToken(row.id, (access) =>
        requireAdapter(providers, row.provider).organisations.check(access, toOrganisation(row)),
      )
      .catch((err: unknown) => {
        if (!(err instanceof AppError) && !(err instanceof ProviderError)) throw err
      })
  }

  return {
    tokens,
    ...createConsent({ ...deps, store, activation }),

    /**
     * What the panel shows: the connection and any pending organisation choice, read in one query.
     * At most once every CHECK_EVERY_MS, an active connection is first checked with the provider,
     * so a grant revoked on the provider's side shows on the panel's next look.
     */
    async status(
      tenantId: string,
    ): Promise<{ connection: Connection | null; pendingChoice: PendingChoice | null }> {
      let view = await store.view(db, tenantId, now())
      const row = view.connection
      if (row?.status === 'active' && (row.last_checked_at ?? 0) + CHECK_EVERY_MS <= now()) {
        await check(row)
        view = await store.view(db, tenantId, now())
      }
      const pending = view.pending
      return {
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
      }
    },

    /**
     * The provider says a user removed the app for an organisation (QuickBooks' Disconnect URL). The
     * request is unauthenticated, so it only triggers a check: a connection whose grant then no
     * longer works is marked revoked; one that still works is left alone.
     */
    async providerSideDisconnect(provider: ProviderId, organisationId: string): Promise<number> {
      const rows = await db.all<ConnectionRow>(
        "SELECT * FROM connections WHERE provider = ? AND organisation_id = ? AND status = 'active'",
        [provider, organisationId],
      )
      let revoked = 0
      for (const row of rows) {
        await check(row)
        const after = await store.byId(db, row.id)
        if (after && after.status !== 'active') {
          await store.setStatus(db, row.id, 'revoked', { ...revokedError(now()), correlationId: null }, now())
          revoked++
        }
      }
      return revoked
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
