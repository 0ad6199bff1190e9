import { randomUUID } from 'node:crypto'
import type { Clock } from '../../common/clock.ts'
import { issueSecret } from '../../common/canary.ts'
import { XERO_FACTS } from '../facts.ts'

/** What the user agreed to on the consent page, waiting for the app to exchange the code. */
export interface AuthCode {
  clientId: string
  redirectUri: string
  scopes: string[]
  nonce?: string
  codeChallenge?: string
  codeChallengeMethod?: string
  userId: string
  authEventId: string
  issuedAt: number
  used: boolean
}

/** One consent's token family: every refresh token descends from it and shares its authEventId. */
export interface Grant {
  grantId: string
  clientId: string
  userId: string
  scopes: string[]
  authEventId: string
  nonce?: string
  authTime: number
  sessionId: string
  revoked: boolean
}

export interface AccessTokenRecord {
  grantId: string
  expiresAt: number
}

export interface RefreshTokenRecord {
  grantId: string
  issuedAt: number
  /** First use; the token keeps working for the grace period after it (PROVIDERS 1.3). */
  usedAt?: number
}

export interface Connection {
  id: string
  userId: string
  clientId: string
  tenantId: string
  tenantType: 'ORGANISATION' | 'PRACTICEMANAGER'
  authEventId: string
  createdAt: number
  updatedAt: number
}

export type RefreshCheck = { ok: true; grant: Grant } | { ok: false; reason: string }

export function createIdentityStore(clock: Clock) {
  const codes = new Map<string, AuthCode>()
  const grants = new Map<string, Grant>()
  const accessTokens = new Map<string, AccessTokenRecord>()
  const refreshTokens = new Map<string, RefreshTokenRecord>()
  const connections: Connection[] = []

  return {
    grants,
    connections,

    issueCode(code: Omit<AuthCode, 'issuedAt' | 'used'>): string {
      const value = issueSecret('xero-code')
      codes.set(value, { ...code, issuedAt: clock.now(), used: false })
      return value
    },

    /** Codes are single-use and expire after 5 minutes (E-X1); a second use fails like an unknown one. */
    redeemCode(value: string): AuthCode | null {
      const code = codes.get(value)
      if (!code || code.used || clock.now() - code.issuedAt > XERO_FACTS.codeLifetimeMs) return null
      code.used = true
      return code
    },

    createGrant(code: AuthCode): Grant {
      const grant: Grant = {
        grantId: randomUUID(),
        clientId: code.clientId,
        userId: code.userId,
        scopes: code.scopes,
        authEventId: code.authEventId,
        ...(code.nonce ? { nonce: code.nonce } : {}),
        authTime: clock.now(),
        sessionId: randomUUID(),
        revoked: false,
      }
      grants.set(grant.grantId, grant)
      return grant
    },

    rememberAccessToken(token: string, grantId: string) {
      accessTokens.set(token, { grantId, expiresAt: clock.now() + XERO_FACTS.accessTokenLifetimeMs })
    },

    rememberRefreshToken(token: string, grantId: string) {
      refreshTokens.set(token, { grantId, issuedAt: clock.now() })
    },

    /** Rotation rules of PROVIDERS 1.3: reusable for 30 minutes after first use, dead after 60 idle days. */
    useRefreshToken(token: string, clientId: string): RefreshCheck {
      const record = refreshTokens.get(token)
      const grant = record && grants.get(record.grantId)
      if (!record || !grant || grant.revoked || grant.clientId !== clientId)
        return { ok: false, reason: 'unknown' }
      const now = clock.now()
      if (record.usedAt !== undefined && now - record.usedAt > XERO_FACTS.refreshGraceMs) {
        return { ok: false, reason: 'used outside the grace period' }
      }
      if (record.usedAt === undefined && now - record.issuedAt > XERO_FACTS.refreshIdleLifetimeMs) {
        return { ok: false, reason: 'expired' }
      }
      record.usedAt ??= now
      return { ok: true, grant }
    },

    accessToken(
      token: string,
    ): { grant: Grant; expired: false } | { expiredAt: number; expired: true } | null {
      const record = accessTokens.get(token)
      const grant = record && grants.get(record.grantId)
      if (!record || !grant || grant.revoked) return null
      if (clock.now() >= record.expiresAt) return { expired: true, expiredAt: record.expiresAt }
      return { grant, expired: false }
    },

    /** Revoking a refresh token ends its grant and every connection the user made for the app. */
    revokeByRefreshToken(token: string, clientId: string): boolean {
      const record = refreshTokens.get(token)
      const grant = record && grants.get(record.grantId)
      if (!grant || grant.clientId !== clientId) return false
      this.revokeGrant(grant.grantId)
      return true
    },

    revokeGrant(grantId: string) {
      const grant = grants.get(grantId)
      if (!grant) return
      grant.revoked = true
      for (let i = connections.length - 1; i >= 0; i--) {
        const c = connections[i]!
        if (c.userId === grant.userId && c.clientId === grant.clientId) connections.splice(i, 1)
      }
    },

    /** A consent connects each chosen tenant, or re-stamps an existing connection with the new authEventId. */
    connect(grant: { userId: string; clientId: string; authEventId: string }, tenantIds: string[]) {
      const now = clock.now()
      for (const tenantId of tenantIds) {
        const existing = connections.find(
          (c) => c.userId === grant.userId && c.clientId === grant.clientId && c.tenantId === tenantId,
        )
        if (existing) Object.assign(existing, { authEventId: grant.authEventId, updatedAt: now })
        else
          connections.push({
            id: randomUUID(),
            userId: grant.userId,
            clientId: grant.clientId,
            tenantId,
            tenantType: 'ORGANISATION',
            authEventId: grant.authEventId,
            createdAt: now,
            updatedAt: now,
          })
      }
    },

    connectionsOf(grant: Grant): Connection[] {
      return connections.filter((c) => c.userId === grant.userId && c.clientId === grant.clientId)
    },

    disconnect(id: string, grant?: Grant): boolean {
      const i = connections.findIndex(
        (c) => c.id === id && (!grant || (c.userId === grant.userId && c.clientId === grant.clientId)),
      )
      if (i < 0) return false
      connections.splice(i, 1)
      return true
    },

    /** Every access token answers 401 from now on (control API: "expire tokens"). */
    expireAccessTokens() {
      const now = clock.now()
      for (const record of accessTokens.values()) record.expiresAt = Math.min(record.expiresAt, now)
    },
  }
}

export type IdentityStore = ReturnType<typeof createIdentityStore>
