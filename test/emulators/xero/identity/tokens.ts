import { randomUUID } from 'node:crypto'
import type { Clock } from '../../common/clock.ts'
import { issueSecret } from '../../common/canary.ts'
import { XERO_FACTS } from '../facts.ts'
import type { XeroUser } from './clients.ts'
import type { Signer } from './keys.ts'
import type { Grant, IdentityStore } from './store.ts'

export interface TokenResponse {
  id_token?: string
  access_token: string
  expires_in: number
  token_type: 'Bearer'
  refresh_token?: string
  scope: string
}

/**
 * Mints the token response for a grant: an RS256 JWT access token with Xero's claims (the
 * product reads `authentication_event_id` to filter /connections, CERTIFICATION XR-C10), a refresh
 * token only with offline_access, an id_token only with openid (PROVIDERS 5.1 pitfall 4).
 */
export function createTokenMinter(deps: {
  clock: Clock
  signer: Signer
  store: IdentityStore
  issuer: () => string
  user: (userId: string) => XeroUser
}) {
  const { clock, signer, store } = deps
  const seconds = (ms: number) => Math.floor(ms / 1000)

  async function idToken(grant: Grant, now: number): Promise<string> {
    const user = deps.user(grant.userId)
    const profile = grant.scopes.includes('profile')
      ? {
          given_name: user.givenName,
          family_name: user.familyName,
          name: `${user.givenName} ${user.familyName}`,
          preferred_username: user.email,
        }
      : {}
    const email = grant.scopes.includes('email') ? { email: user.email } : {}
    return signer.sign({
      nbf: seconds(now),
      exp: seconds(now + XERO_FACTS.idTokenLifetimeMs),
      iss: deps.issuer(),
      aud: grant.clientId,
      iat: seconds(now),
      ...(grant.nonce ? { nonce: grant.nonce } : {}),
      auth_time: seconds(grant.authTime),
      sub: user.userId.replaceAll('-', ''),
      xero_userid: user.userId,
      global_session_id: grant.sessionId,
      sid: grant.sessionId,
      ...profile,
      ...email,
    })
  }

  return async function mint(grant: Grant): Promise<TokenResponse> {
    const now = clock.now()
    const user = deps.user(grant.userId)
    const accessToken = await signer.sign({
      nbf: seconds(now),
      exp: seconds(now + XERO_FACTS.accessTokenLifetimeMs),
      iss: deps.issuer(),
      aud: `${deps.issuer()}/resources`,
      client_id: grant.clientId,
      sub: user.userId.replaceAll('-', ''),
      auth_time: seconds(grant.authTime),
      xero_userid: user.userId,
      global_session_id: grant.sessionId,
      sid: grant.sessionId,
      jti: randomUUID().replaceAll('-', ''),
      authentication_event_id: grant.authEventId,
      scope: grant.scopes,
      amr: ['pwd'],
    })
    store.rememberAccessToken(accessToken, grant.grantId)
    const response: TokenResponse = {
      access_token: accessToken,
      expires_in: seconds(XERO_FACTS.accessTokenLifetimeMs),
      token_type: 'Bearer',
      scope: grant.scopes.join(' '),
    }
    if (grant.scopes.includes('openid')) response.id_token = await idToken(grant, now)
    if (grant.scopes.includes('offline_access')) {
      response.refresh_token = issueSecret('xero-rt')
      store.rememberRefreshToken(response.refresh_token, grant.grantId)
    }
    return response
  }
}

export type TokenMinter = ReturnType<typeof createTokenMinter>
