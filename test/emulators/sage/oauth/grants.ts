import { createHash, randomUUID } from 'node:crypto'
import { issueSecret } from '../../common/canary.ts'
import type { Clock } from '../../common/clock.ts'
import { SAGE_FACTS } from '../facts.ts'

export interface OAuthClient {
  clientId: string
  clientSecret: string
  /** Matched character for character, case included (Sage's frequently raised errors). */
  redirectUris: string[]
}

/** The token response, exactly as Sage's authentication guide shows it. */
export interface SageTokenResponse {
  access_token: string
  scope: string
  token_type: 'bearer'
  expires_in: number
  refresh_token: string
  refresh_token_expires_in: number
  requested_by_id: string
}

export type OAuthErrorCode =
  'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type'

export type GrantResult = { ok: true; tokens: SageTokenResponse } | { ok: false; error: OAuthErrorCode }

interface Grant {
  id: string
  clientId: string
  userId: string
  scope: string
  /** Sage's requested_by_id is a UUID naming the authorising user. */
  requestedById: string
  revoked: boolean
}

interface Code {
  grant: Grant
  redirectUri: string
  expiresAt: number
  used: boolean
  challenge: { value: string; method: 'S256' | 'plain' } | null
}

export function createGrants(clock: Clock) {
  const codes = new Map<string, Code>()
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number }>()
  const refreshTokens = new Map<string, { grant: Grant; expiresAt: number; used: boolean }>()
  const fail = (error: OAuthErrorCode): GrantResult => ({ ok: false, error })

  function issueTokens(grant: Grant): GrantResult {
    const access = issueSecret('sage-access')
    const refresh = issueSecret('sage-refresh')
    const now = clock.now()
    accessTokens.set(access, { grant, expiresAt: now + SAGE_FACTS.accessTokenTtlSeconds * 1000 })
    refreshTokens.set(refresh, {
      grant,
      expiresAt: now + SAGE_FACTS.refreshTokenTtlSeconds * 1000,
      used: false,
    })
    return {
      ok: true,
      tokens: {
        access_token: access,
        scope: grant.scope,
        token_type: 'bearer',
        expires_in: SAGE_FACTS.accessTokenTtlSeconds,
        refresh_token: refresh,
        refresh_token_expires_in: SAGE_FACTS.refreshTokenTtlSeconds,
        requested_by_id: grant.requestedById,
      },
    }
  }

  function verifierMatches(challenge: Code['challenge'], verifier: string | undefined): boolean {
    if (!challenge) return true
    if (!verifier) return false
    const derived =
      challenge.method === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url')
    return derived === challenge.value
  }

  return {
    issueCode(p: {
      clientId: string
      userId: string
      scope: string
      redirectUri: string
      country: string
      challenge: Code['challenge']
    }): string {
      const grant: Grant = {
        id: randomUUID(),
        clientId: p.clientId,
        userId: p.userId,
        scope: p.scope,
        requestedById: randomUUID(),
        revoked: false,
      }
      // Real codes carry the region first ("GB/12abc…"), which is why they arrive URL-encoded.
      const code = `${p.country.toUpperCase()}/${issueSecret('code')}`
      const expiresAt = clock.now() + SAGE_FACTS.authorizationCodeTtlMs
      codes.set(code, { grant, redirectUri: p.redirectUri, expiresAt, used: false, challenge: p.challenge })
      return code
    },

    exchangeCode(p: {
      clientId: string
      code: string
      redirectUri: string
      codeVerifier?: string
    }): GrantResult {
      const entry = codes.get(p.code)
      if (!entry || entry.used || clock.now() >= entry.expiresAt) return fail('invalid_grant')
      if (entry.grant.clientId !== p.clientId || entry.redirectUri !== p.redirectUri)
        return fail('invalid_grant')
      if (!verifierMatches(entry.challenge, p.codeVerifier)) return fail('invalid_grant')
      entry.used = true
      return issueTokens(entry.grant)
    },

    /** Single use: the presented refresh token dies, a new one (with a fresh 31 days) replaces it. */
    refresh(p: { clientId: string; refreshToken: string }): GrantResult {
      const entry = refreshTokens.get(p.refreshToken)
      if (!entry || entry.used || entry.grant.revoked || clock.now() >= entry.expiresAt)
        return fail('invalid_grant')
      if (entry.grant.clientId !== p.clientId) return fail('invalid_grant')
      entry.used = true
      return issueTokens(entry.grant)
    },

    /** POST /revoke: kills the grant's refresh tokens. Access tokens live out their five minutes. */
    revokeRefreshToken(p: { clientId: string; token: string }): void {
      const entry = refreshTokens.get(p.token)
      if (entry && entry.grant.clientId === p.clientId) entry.grant.revoked = true
    },

    authenticate(accessToken: string): { userId: string; scope: string } | null {
      const entry = accessTokens.get(accessToken)
      if (!entry || clock.now() >= entry.expiresAt) return null
      return { userId: entry.grant.userId, scope: entry.grant.scope }
    },

    /** Control: the user disconnects the app in Sage; any token of the grant identifies it. */
    revokeGrantOf(token: string): boolean {
      const grant = accessTokens.get(token)?.grant ?? refreshTokens.get(token)?.grant
      if (!grant) return false
      grant.revoked = true
      return true
    },

    /** Control: every access token issued so far is now expired (refresh tokens untouched). */
    expireAccessTokens(): void {
      const now = clock.now()
      for (const entry of accessTokens.values()) entry.expiresAt = Math.min(entry.expiresAt, now)
    },
  }
}

export type Grants = ReturnType<typeof createGrants>
