import { z } from 'zod'
import type { TokenSet as OpenIdTokenSet } from 'openid-client'
import type { ProviderAdapter, TokenSet } from '../provider.ts'
import { ProviderError } from '../provider.ts'
import type { HttpOptions, ProviderHttp } from '../provider-http.ts'
import { createProviderHttp, inMs } from '../provider-http.ts'
import { createXeroConnections, XeroGrantMetaSchema, XeroOrganisationMetaSchema } from './connections.ts'
import { xeroError } from './errors.ts'
import { XERO_FACTS, XERO_WIRE } from './facts.ts'
import type { XeroUrls } from './sdk.ts'
import { createXeroSdk } from './sdk.ts'
import { createXeroSync } from './sync.ts'

export interface XeroAdapterOptions extends HttpOptions {
  clientId: string
  clientSecret: string
  urls: XeroUrls
}

/** The claim that names the consent (CERTIFICATION XR-C10). */
const AccessClaimsSchema = z.object({ authentication_event_id: z.string() })

/**
 * Reads the access token's payload without verifying it: it came straight from Xero's token
 * endpoint over TLS, and only Xero's API, which does verify it, ever relies on it.
 */
function authEventIdOf(http: ProviderHttp, accessToken: string): string {
  try {
    const payload = accessToken.split('.')[1] ?? ''
    return AccessClaimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')))
      .authentication_event_id
  } catch (cause) {
    throw new ProviderError(http.provider, 'validation', 'access token carries no authentication_event_id', {
      cause,
    })
  }
}

function toTokenSet(http: ProviderHttp, set: OpenIdTokenSet): TokenSet {
  if (!set.access_token || !set.refresh_token)
    throw new ProviderError(
      http.provider,
      'validation',
      'Xero issued no refresh token (offline_access missing)',
    )
  return {
    accessToken: set.access_token,
    refreshToken: set.refresh_token,
    expiresAt: inMs(http, set.expires_in ?? 0),
    // Xero's answer names no refresh lifetime: a fresh refresh token lives 60 days unused (PROVIDERS 1.3).
    refreshExpiresAt: http.now() + XERO_FACTS.idleRefreshExpiryMs,
    hardExpiresAt: null,
    scope: set.scope ?? null,
  }
}

export function createXeroAdapter(options: XeroAdapterOptions): ProviderAdapter {
  const http = createProviderHttp('xero', options, XERO_WIRE)
  const sdk = (redirectUri?: string) => createXeroSdk({ ...options, timeoutMs: http.timeoutMs }, redirectUri)
  const connections = createXeroConnections(http, options.urls.api)
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (err) {
      throw xeroError(http, err)
    }
  }

  return {
    id: 'xero',
    facts: XERO_FACTS,
    sync: createXeroSync(http, options.urls),
    oauth: {
      // xero-node's buildConsentUrl and apiCallback take no PKCE parameters, so the calls go to
      // the same openid-client they would use, with code_challenge / code_verifier added.
      authorizeUrl({ state, codeChallenge, redirectUri }) {
        // API docs: https://developer.xero.com/documentation/guides/oauth2/auth-flow/#1-send-a-user-to-authorize-your-app
        const url = sdk(redirectUri).openIdClient.authorizationUrl({
          redirect_uri: redirectUri,
          scope: XERO_FACTS.scopes.join(' '),
          state,
          code_challenge: codeChallenge,
          code_challenge_method: 'S256',
        })
        return new URL(url)
      },

      exchange: ({ code, codeVerifier, redirectUri, callback }) =>
        guard(async () => {
          const params: Record<string, string> = { ...Object.fromEntries(callback), code }
          const state = callback.get('state')
          // The connections service has already matched state to the session; openid-client
          // insists on comparing it again, so it is handed the value it will find.
          // API docs: https://developer.xero.com/documentation/guides/oauth2/auth-flow/#3-exchange-the-code
          const set = await sdk(redirectUri).openIdClient.oauthCallback(redirectUri, params, {
            ...(state !== null ? { state } : {}),
            code_verifier: codeVerifier,
          })
          const tokens = toTokenSet(http, set)
          return { tokens, grant: { meta: { authEventId: authEventIdOf(http, tokens.accessToken) } } }
        }),

      refresh: (refreshToken) =>
        guard(async () => {
          // API docs: https://developer.xero.com/documentation/guides/oauth2/auth-flow/#refreshing-access-and-refresh-tokens
          const set = await sdk().openIdClient.refresh(refreshToken)
          return toTokenSet(http, set)
        }),

      revoke: ({ refreshToken }) =>
        guard(async () => {
          // Revoking the refresh token ends the grant and removes every connection it made (XR-C06).
          // API docs: https://developer.xero.com/documentation/guides/oauth2/auth-flow/#revoking-tokens
          await sdk().openIdClient.revoke(refreshToken, 'refresh_token')
        }),
    },
    organisations: {
      list: (accessToken, grant) =>
        guard(() => {
          const meta = XeroGrantMetaSchema.safeParse(grant.meta)
          return connections.list(
            accessToken,
            meta.success ? meta.data.authEventId : authEventIdOf(http, accessToken),
          )
        }),

      disconnect: (accessToken, organisation) =>
        guard(async () => {
          const meta = XeroOrganisationMetaSchema.safeParse(organisation.meta)
          if (!meta.success)
            throw new ProviderError(
              'xero',
              'validation',
              'a Xero organisation needs its connectionId to disconnect',
            )
          await connections.remove(accessToken, meta.data.connectionId)
        }),

      check: (accessToken, organisation) =>
        guard(async () => {
          const xero = sdk()
          xero.accountingApi.accessToken = accessToken
          // The Organisation endpoint is not metered for egress, which is why Xero suggests it for
          // health checks (CERTIFICATION XR-C08).
          // API docs: https://developer.xero.com/documentation/api/accounting/organisation
          await xero.accountingApi.getOrganisations(organisation.id)
        }),
    },
  }
}
