import type { Clock } from '../../common/clock.ts'
import { issueSecret } from '../../common/canary.ts'
import { QBO } from '../facts.ts'

/** One consent: the company it reaches (null for sign-in only), its scopes and its current tokens. */
export interface Grant {
  id: string
  clientId: string
  realmId: string | null
  scopes: string[]
  userSub: string
  createdAt: number
  hardExpiresAt: number
  refreshToken: string
  refreshIssuedAt: number
  refreshExpiresAt: number
  refreshCount: number
  revoked: boolean
}

export interface TokenSet {
  grant: Grant
  accessToken: string
  accessExpiresAt: number
}

/** When the refresh-token value changes (QB-P03): after an age, and/or on every Nth refresh. */
export interface RotationPolicy {
  afterMs: number | null
  everyNth: number | null
}

export type GrantError = 'invalid_grant'

interface PendingCode {
  clientId: string
  redirectUri: string
  realmId: string | null
  scopes: string[]
  userSub: string
  expiresAt: number
  used: boolean
}

export function createGrantStore(clock: Clock) {
  const codes = new Map<string, PendingCode>()
  const grants = new Map<string, Grant>()
  const byRefresh = new Map<string, Grant>()
  const access = new Map<string, { grant: Grant; expiresAt: number }>()
  let rotation: RotationPolicy = { afterMs: QBO.tokens.refreshValueRotatesAfterMs, everyNth: null }
  let seq = 0

  function newRefresh(grant: Grant) {
    byRefresh.delete(grant.refreshToken)
    grant.refreshToken = issueSecret('qbo-rt')
    grant.refreshIssuedAt = clock.now()
    byRefresh.set(grant.refreshToken, grant)
  }
  function tokens(grant: Grant): TokenSet {
    const now = clock.now()
    grant.refreshExpiresAt = Math.min(now + QBO.tokens.refreshRollingTtlMs, grant.hardExpiresAt)
    const accessToken = issueSecret('qbo-at')
    const accessExpiresAt = now + QBO.tokens.accessTtlMs
    access.set(accessToken, { grant, expiresAt: accessExpiresAt })
    return { grant, accessToken, accessExpiresAt }
  }
  const live = (grant: Grant | undefined) =>
    grant && !grant.revoked && clock.now() < grant.refreshExpiresAt ? grant : undefined

  return {
    issueCode(p: Omit<PendingCode, 'expiresAt' | 'used'>) {
      const code = issueSecret('qbo-code')
      codes.set(code, { ...p, expiresAt: clock.now() + QBO.tokens.authorizationCodeTtlMs, used: false })
      return code
    },
    /** Codes are single use and expire after 5 minutes; the redirect_uri must match the authorize call. */
    exchangeCode(clientId: string, code: string, redirectUri: string): TokenSet | GrantError {
      const c = codes.get(code)
      if (
        !c ||
        c.used ||
        c.clientId !== clientId ||
        c.redirectUri !== redirectUri ||
        clock.now() >= c.expiresAt
      )
        return 'invalid_grant'
      c.used = true
      const now = clock.now()
      const grant: Grant = {
        id: `grant-${++seq}`,
        clientId,
        realmId: c.realmId,
        scopes: c.scopes,
        userSub: c.userSub,
        createdAt: now,
        hardExpiresAt: now + QBO.tokens.refreshHardTtlMs,
        refreshToken: '',
        refreshIssuedAt: now,
        refreshExpiresAt: now,
        refreshCount: 0,
        revoked: false,
      }
      grants.set(grant.id, grant)
      newRefresh(grant)
      return tokens(grant)
    },
    /** A refresh extends the rolling expiry; the value itself changes per the rotation policy, and a replaced value is dead. */
    refresh(clientId: string, refreshToken: string): TokenSet | GrantError {
      const grant = live(byRefresh.get(refreshToken))
      if (!grant || grant.clientId !== clientId) return 'invalid_grant'
      grant.refreshCount++
      const byAge = rotation.afterMs !== null && clock.now() - grant.refreshIssuedAt >= rotation.afterMs
      const byCount = rotation.everyNth !== null && grant.refreshCount % rotation.everyNth === 0
      if (byAge || byCount) newRefresh(grant)
      return tokens(grant)
    },
    /** Revoking either token ends the whole grant (the app is disconnected from the company). */
    revoke(clientId: string, token: string): boolean {
      const grant = byRefresh.get(token) ?? access.get(token)?.grant
      if (!grant || grant.clientId !== clientId) return false
      grant.revoked = true
      return true
    },
    authenticate(accessToken: string): Grant | null {
      const a = access.get(accessToken)
      if (!a || a.grant.revoked || clock.now() >= a.expiresAt) return null
      return a.grant
    },
    grants: () => [...grants.values()],
    setRotation(policy: Partial<RotationPolicy>) {
      rotation = { ...rotation, ...policy }
    },
    /** Control: end every access token (optionally of one company) now. */
    expireAccessTokens(realmId?: string) {
      for (const a of access.values()) if (!realmId || a.grant.realmId === realmId) a.expiresAt = clock.now()
    },
    expireRefreshTokens(realmId?: string) {
      for (const g of grants.values()) if (!realmId || g.realmId === realmId) g.refreshExpiresAt = clock.now()
    },
    revokeRealm(realmId: string): number {
      let n = 0
      for (const g of grants.values()) {
        if (g.realmId !== realmId || g.revoked) continue
        g.revoked = true
        n++
      }
      return n
    },
    /** Control: bring the 5-year hard expiry of a company's grants to `inMs` from now (QB-T01). */
    setHardExpiry(realmId: string, inMs: number) {
      for (const g of grants.values()) {
        if (g.realmId !== realmId) continue
        g.hardExpiresAt = clock.now() + inMs
        g.refreshExpiresAt = Math.min(g.refreshExpiresAt, g.hardExpiresAt)
      }
    },
  }
}
export type GrantStore = ReturnType<typeof createGrantStore>
