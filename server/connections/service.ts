import type { Connection, PendingChoice } from '../../shared/api/connections.ts'
import type { OAuthResultMessage } from '../../shared/api/connections.ts'
import type { ErrorCode } from '../../shared/errors.ts'
import type { ProviderId } from '../../shared/providers.ts'
import type { SessionUser } from '../auth/sessions.ts'
import type { OAuthAttempts } from '../auth/oauth-state.ts'
import type { Db } from '../db/client.ts'
import type { TokenCipher } from '../crypto/token-cipher.ts'
import { AppError } from '../errors.ts'
import { newId } from '../ids.ts'
import type { Logger } from '../logging/logger.ts'
import {
  ProviderError,
  type ProviderAdapter,
  type ProviderOrganisation,
  type TokenSet,
} from '../providers/provider.ts'
import { createTokenStore, toConnection, toOrganisation, type ConnectionRow } from './token-store.ts'
import { createTokenAccess } from './token-access.ts'

export interface ProviderLookup {
  get(id: ProviderId): ProviderAdapter | undefined
}

type Outcome = OAuthResultMessage['outcome']

/** How often the status route asks the provider whether access still stands. */
export const CHECK_EVERY_MS = 5 * 60_000

/** What the callback page needs to tell the opener (popup) or where to send the browser (redirect). */
export interface CallbackResult {
  outcome: Outcome
  provider: ProviderId | null
  errorCode?: ErrorCode
  mode: 'popup' | 'redirect'
  openerOrigin: string | null
  returnTo: string | null
}

export function createConnections(deps: {
  db: Db
  cipher: TokenCipher
  providers: ProviderLookup
  attempts: OAuthAttempts
  config: { oauthRedirectUris: string[]; allowedOrigins: string[]; publicUrl: string }
  log: Logger
  now: () => number
}) {
  const { db, providers, attempts, config, log, now } = deps
  const store = createTokenStore(deps.cipher)
  const tokens = createTokenAccess({ db, store, providers, now, log })

  function adapter(id: ProviderId): ProviderAdapter {
    const found = providers.get(id)
    if (!found)
      throw new AppError('validation_failed', {
        details: [{ path: 'provider', message: `${id} is not configured on this server` }],
      })
    return found
  }

  /** Ends a grant at the provider; a failure there is logged, never blocks the local disconnect. */
  async function revokeAtProvider(row: ConnectionRow) {
    const access = store.openAccess(row)
    const refresh = store.openRefresh(row)
    const p = providers.get(row.provider)
    if (!p || !access || !refresh) return
    try {
      if (p.organisations.disconnect) await p.organisations.disconnect(access, toOrganisation(row))
      await p.oauth.revoke({ accessToken: access, refreshToken: refresh })
    } catch (err) {
      log.warn('revocation at the provider failed', { provider: row.provider, connection: row.id, err })
    }
  }

  /**
   * Makes `org` the tenant's connection with these tokens: the same row as before when it is the
   * same organisation (a reconnect keeps every mapping and link), a new row otherwise. A connection
   * to anything else is disconnected first (the switch was confirmed when the consent started).
   */
  async function activate(
    attempt: { tenantId: string; userId: string; provider: ProviderId },
    connectedBy: string,
    org: ProviderOrganisation,
    set: TokenSet,
  ) {
    const t = now()
    const { replaced, row } = await db.transaction(async (tx) => {
      const current = await store.current(tx, attempt.tenantId)
      const same = current && current.provider === attempt.provider && current.organisation_id === org.id
      if (current && !same) await store.disconnect(tx, current.id, t)
      const existing = await store.find(tx, attempt.tenantId, attempt.provider, org.id)
      const id = existing?.id ?? newId('con', t)
      const meta = org.connectionId ? JSON.stringify({ connectionId: org.connectionId }) : null
      if (existing)
        await tx.run(
          `UPDATE connections SET organisation_name = ?, provider_meta = ?, status = 'active', connected_by_id = ?, connected_by_name = ?,
             connected_at = ?, disconnected_at = NULL, last_error = NULL, last_checked_at = ?, hard_expires_at = NULL, updated_at = ? WHERE id = ?`,
          [org.name, meta, attempt.userId, connectedBy, t, t, t, id],
        )
      else
        await tx.run(
          `INSERT INTO connections (id, tenant_id, provider, organisation_id, organisation_name, provider_meta, status,
             connected_by_id, connected_by_name, connected_at, last_checked_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)`,
          [
            id,
            attempt.tenantId,
            attempt.provider,
            org.id,
            org.name,
            meta,
            attempt.userId,
            connectedBy,
            t,
            t,
            t,
            t,
          ],
        )
      await store.saveTokens(tx, id, set, t)
      return { replaced: current && !same ? current : null, row: (await store.byId(tx, id))! }
    })
    if (replaced) await revokeAtProvider(replaced)
    return row
  }

  /** Asks the provider whether access still stands; token-access records what it says. */
  async function check(row: ConnectionRow) {
    await db.run('UPDATE connections SET last_checked_at = ? WHERE id = ?', [now(), row.id])
    await tokens
      .withAccessToken(row.id, (access) =>
        adapter(row.provider).organisations.check(access, toOrganisation(row)),
      )
      .catch((err: unknown) => {
        if (!(err instanceof AppError) && !(err instanceof ProviderError)) throw err
      })
  }

  async function userName(userId: string) {
    return (
      (await db.get<{ name: string }>('SELECT name FROM users WHERE id = ?', [userId]))?.name ?? 'Unknown'
    )
  }

  return {
    tokens,

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

    /** Starts a consent: answers the URL to open (our /v1/oauth/begin, which binds the browser). */
    async start(
      session: SessionUser,
      input: {
        provider: ProviderId
        mode: 'popup' | 'redirect'
        returnTo?: string | undefined
        confirmSwitch: boolean
        redirectUri?: string | undefined
      },
      origin: string | undefined,
    ) {
      adapter(input.provider)
      const redirectUri = input.redirectUri ?? config.oauthRedirectUris[0]!
      if (!config.oauthRedirectUris.includes(redirectUri))
        throw new AppError('validation_failed', {
          details: [{ path: 'redirectUri', message: 'Not on this server’s allowlist of redirect URIs' }],
        })
      const allowed = new Set([...config.allowedOrigins, new URL(config.publicUrl).origin])
      if (input.mode === 'redirect' && (!input.returnTo || !allowed.has(new URL(input.returnTo).origin)))
        throw new AppError('validation_failed', {
          details: [
            { path: 'returnTo', message: 'A full-page redirect needs returnTo on an allowed origin' },
          ],
        })
      const current = await store.current(db, session.tenant.id)
      if (current && current.provider !== input.provider && !input.confirmSwitch)
        throw new AppError('provider_switch_unconfirmed', {
          details: [
            {
              path: 'confirmSwitch',
              message: `Connected to ${current.provider} (${current.organisation_name})`,
            },
          ],
        })
      const attempt = await attempts.create({
        tenantId: session.tenant.id,
        userId: session.user.id,
        sessionId: session.session.id,
        provider: input.provider,
        redirectUri,
        mode: input.mode,
        returnTo: input.returnTo ?? null,
        openerOrigin: origin && allowed.has(origin) ? origin : new URL(config.publicUrl).origin,
      })
      const begin = new URL(`${config.publicUrl}/v1/oauth/begin`)
      begin.searchParams.set('state', attempt.state)
      return { authorizeUrl: begin.toString(), expiresAt: new Date(attempt.expiresAt).toISOString() }
    },

    /** Binds the browser and answers the provider's consent URL. */
    async begin(state: string) {
      const { binding, attempt, codeChallenge } = await attempts.begin(state)
      const url = adapter(attempt.provider).oauth.authorizeUrl({
        state,
        codeChallenge,
        redirectUri: attempt.redirectUri,
      })
      return { binding, attemptId: attempt.id, url }
    },

    /** The provider sent the browser back. Never throws: the page always tells the user something. */
    async callback(
      params: URLSearchParams,
      bindingOf: (attemptId: string) => string | undefined,
    ): Promise<CallbackResult> {
      const state = params.get('state')
      let attempt
      try {
        if (!state) throw new AppError('oauth_state_invalid')
        attempt = await attempts.consume(state, bindingOf)
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        return {
          outcome: 'failed',
          provider: null,
          errorCode: err.code,
          mode: 'popup',
          openerOrigin: null,
          returnTo: null,
        }
      }
      const result = (outcome: Outcome, errorCode?: ErrorCode): CallbackResult => ({
        outcome,
        provider: attempt.provider,
        ...(errorCode ? { errorCode } : {}),
        mode: attempt.mode,
        openerOrigin: attempt.openerOrigin,
        returnTo: attempt.returnTo,
      })
      const providerError = params.get('error')
      if (providerError)
        return result(providerError === 'access_denied' ? 'cancelled' : 'failed', 'oauth_denied')
      const code = params.get('code')
      if (!code) return result('failed', 'oauth_state_invalid')
      const session = await db.get<{ id: string }>(
        'SELECT id FROM sessions WHERE id = ? AND expires_at > ?',
        [attempt.sessionId, now()],
      )
      if (!session) return result('failed', 'unauthenticated')
      try {
        const p = adapter(attempt.provider)
        const { tokens: set, grant } = await p.oauth.exchange({
          code,
          codeVerifier: attempt.codeVerifier,
          redirectUri: attempt.redirectUri,
          callback: params,
        })
        const orgs = await p.organisations.list(set.accessToken, grant)
        if (orgs.length === 0) return result('failed', 'provider_error')
        if (orgs.length === 1) {
          await activate(attempt, await userName(attempt.userId), orgs[0]!, set)
          return result('connected')
        }
        await attempts.savePending(
          attempt.id,
          deps.cipher.encrypt(JSON.stringify(set), `${attempt.id}:pending`),
          grant,
          orgs,
        )
        return result('choose')
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err
        log.warn('code exchange failed', {
          provider: attempt.provider,
          kind: err.kind,
          correlationId: err.correlationId,
          message: err.message,
        })
        return result('failed', err.kind === 'transient' ? 'provider_unavailable' : 'provider_error')
      }
    },

    /** The user picked one of several organisations the consent covered. */
    async choose(session: SessionUser, attemptId: string, organisationId: string): Promise<Connection> {
      const row = await attempts.getForTenant(db, attemptId, session.tenant.id)
      if (!row?.pending_tokens || row.chosen_at !== null || row.expires_at <= now())
        throw new AppError('not_found', {
          message: 'This choice has expired or was already made. Connect again.',
        })
      const orgs = JSON.parse(row.pending_organisations!) as ProviderOrganisation[]
      const org = orgs.find((o) => o.id === organisationId)
      if (!org)
        throw new AppError('validation_failed', {
          details: [{ path: 'organisationId', message: 'Not one of the organisations you authorised' }],
        })
      const set = JSON.parse(deps.cipher.decrypt(row.pending_tokens, `${row.id}:pending`)) as TokenSet
      if (!(await attempts.markChosen(db, row.id)))
        throw new AppError('not_found', { message: 'This choice was already made.' })
      const connection = await activate(
        { tenantId: row.tenant_id, userId: session.user.id, provider: row.provider },
        session.user.name,
        org,
        set,
      )
      // The organisations not chosen stay connected at the provider unless we let go of them.
      const p = adapter(row.provider)
      for (const other of orgs.filter((o) => o.id !== org.id))
        await p.organisations
          .disconnect?.(set.accessToken, other)
          .catch((err: unknown) => log.warn('could not release an organisation', { err }))
      return toConnection(connection)
    },

    /** Revokes at the provider (and removes the Xero connection), deletes local tokens, keeps the rest. */
    async disconnect(tenantId: string) {
      const row = await store.current(db, tenantId)
      if (!row) throw new AppError('no_connection')
      await revokeAtProvider(row)
      await store.disconnect(db, row.id, now())
    },
  }
}

export type Connections = ReturnType<typeof createConnections>
