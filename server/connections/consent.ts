import type { OAuthResultMessage } from '../../shared/api/connections.ts'
import type { ErrorCode } from '../../shared/errors.ts'
import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import type { OAuthAttempts } from '../auth/oauth-state.ts'
import type { SessionUser } from '../auth/sessions.ts'
import type { TokenCipher } from '../crypto/token-cipher.ts'
import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../logging/logger.ts'
import { ProviderError } from '../providers/provider.ts'
import { requireAdapter, type Activation, type ProviderLookup } from './activate.ts'
import { createConsentTargets } from './consent-targets.ts'
import { createCompletion } from './completion.ts'
import { outstandingWork, summaryOf } from './outstanding.ts'
import type { TokenStore } from './token-store.ts'

type Outcome = OAuthResultMessage['outcome']

/** What the callback page needs to tell the opener (popup) or where to send the browser (redirect). */
export interface CallbackResult {
  outcome: Outcome
  provider: ProviderId | null
  errorCode?: ErrorCode
  /** With `authorised`: what the widget holding the starting session sends to complete. */
  completion?: { attemptId: string; secret: string }
  mode: 'popup' | 'redirect'
  openerOrigin: string | null
  returnTo: string | null
}

/**
 * The consent: start (state + PKCE), begin (bind the browser), the provider's callback (code
 * exchange, organisations, kept sealed), the completion by the session that started it (which
 * connects, or offers the choice) and the user's choice when a consent covered several organisations.
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
  const { db, cipher, store, providers, attempts, config, log, now } = deps
  const adapter = (id: ProviderId) => requireAdapter(providers, id)
  const targets = createConsentTargets(config, log)

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
      const redirectUri = targets.redirectUri(input.redirectUri)
      const returnTo = targets.returnTo(input.mode, input.returnTo)
      const openerOrigin = targets.openerOrigin(input.mode, origin)
      const current = await store.current(db, session.tenant.id)
      if (current && current.provider !== input.provider && !input.confirmSwitch) {
        // What the confirmation must say: what is still queued or failing for the current one.
        const name = PROVIDERS[current.provider].name
        const behind = summaryOf(await outstandingWork(db, current.id), name)
        const to = `${name} (${current.organisation_name})`
        throw new AppError('provider_switch_unconfirmed', {
          message: `You are connected to ${to}.${behind ? ` ${behind} A switch leaves them unsent.` : ''}`,
          details: [{ path: 'confirmSwitch', message: `Connected to ${to}` }],
        })
      }
      const attempt = await attempts.create({
        tenantId: session.tenant.id,
        userId: session.user.id,
        sessionId: session.session.id,
        provider: input.provider,
        redirectUri,
        mode: input.mode,
        returnTo,
        openerOrigin,
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

    /**
     * The provider sent the browser back. Exchanges the code and keeps the result for the
     * completion; connects nothing, since whoever approved need not be who started. Never throws:
     * the page always tells the user something.
     */
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
      const result = (
        outcome: Outcome,
        errorCode?: ErrorCode,
        completion?: CallbackResult['completion'],
      ) => ({
        outcome,
        provider: attempt.provider,
        ...(errorCode ? { errorCode } : {}),
        ...(completion ? { completion } : {}),
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
        const sealedTokens = cipher.encrypt(JSON.stringify(set), `${attempt.id}:pending`)
        const secret = await attempts.saveExchange(attempt.id, sealedTokens, grant, orgs)
        return result('authorised', undefined, { attemptId: attempt.id, secret })
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

    ...createCompletion({ db, cipher, providers, attempts, activation: deps.activation, log, now }),
  }
}
