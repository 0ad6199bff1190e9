import type { Connection, OAuthResultMessage } from '../../shared/api/connections.ts'
import type { ErrorCode } from '../../shared/errors.ts'
import type { ProviderId } from '../../shared/providers.ts'
import type { OAuthAttempts } from '../auth/oauth-state.ts'
import type { SessionUser } from '../auth/sessions.ts'
import type { TokenCipher } from '../crypto/token-cipher.ts'
import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../logging/logger.ts'
import { ProviderError, type ProviderOrganisation, type TokenSet } from '../providers/provider.ts'
import { requireAdapter, type Activation, type ProviderLookup } from './activate.ts'
import { toConnection, type TokenStore } from './token-store.ts'

type Outcome = OAuthResultMessage['outcome']

/** What the callback page needs to tell the opener (popup) or where to send the browser (redirect). */
export interface CallbackResult {
  outcome: Outcome
  provider: ProviderId | null
  errorCode?: ErrorCode
  mode: 'popup' | 'redirect'
  openerOrigin: string | null
  returnTo: string | null
}

/**
 * The consent: start (state + PKCE), begin (bind the browser), the provider's callback (code
 * exchange, organisations) and the user's choice when a consent covered several organisations.
 */
export function createConsent(deps: {
  db: Db
  cipher: TokenCipher
  store: TokenStore
  providers: ProviderLookup
  attempts: OAuthAttempts
  activation: Activation
  config: { oauthRedirectUris: string[]; allowedOrigins: string[]; publicUrl: string }
  log: Logger
  now: () => number
}) {
  const { db, store, providers, attempts, config, log, now } = deps
  const { activate } = deps.activation
  const adapter = (id: ProviderId) => requireAdapter(providers, id)

  async function userName(userId: string) {
    return (
      (await db.get<{ name: string }>('SELECT name FROM users WHERE id = ?', [userId]))?.name ?? 'Unknown'
    )
  }

  return {
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
  }
}
