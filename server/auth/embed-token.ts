import { SignJWT, errors as joseErrors, jwtVerify } from 'jose'
import { z } from 'zod'
import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { TenantIdSchema } from '../../shared/api/common.ts'

/**
 * Embed tokens: short-lived JWTs the host backend signs (HS256, the vendor's embed secret) to say
 * "this user of this tenant, with this role, is on my page". Each is exchanged once for a session.
 */
export const MAX_EMBED_TOKEN_LIFETIME_SECONDS = 15 * 60
const CLOCK_TOLERANCE_SECONDS = 30

export const EmbedClaimsSchema = z.object({
  sub: z.string().min(1).max(255),
  tenant: TenantIdSchema,
  tenant_name: z.string().min(1).max(255).optional(),
  role: z.enum(['admin', 'member']),
  name: z.string().min(1).max(255),
  email: z.email().max(320).optional(),
  jti: z.string().min(16).max(255),
  iat: z.number().int(),
  exp: z.number().int(),
})
export type EmbedClaims = z.infer<typeof EmbedClaimsSchema>

const keyOf = (secret: string) => new TextEncoder().encode(secret)

/**
 * What a host backend does to mint an embed token (the demo and the tests use it; hosts in other
 * languages use any JWT library with HS256).
 *
 * @example await signEmbedToken(secret, { sub: 'u-42', tenant: 'acme', role: 'admin', name: 'Ada' })
 */
export async function signEmbedToken(
  secret: string,
  claims: Omit<EmbedClaims, 'jti' | 'iat' | 'exp'> & { jti?: string },
  options: { lifetimeSeconds?: number; now?: number } = {},
): Promise<string> {
  const iat = Math.floor((options.now ?? Date.now()) / 1000)
  const { jti, ...rest } = claims
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.lifetimeSeconds ?? 300))
    .setJti(jti ?? crypto.randomUUID())
    .setSubject(claims.sub)
    .sign(keyOf(secret))
}

export function createEmbedTokens(deps: { db: Db; secret: string; now?: () => number }) {
  const now = deps.now ?? Date.now

  async function verify(token: string): Promise<EmbedClaims> {
    let payload: unknown
    try {
      ;({ payload } = await jwtVerify(token, keyOf(deps.secret), {
        algorithms: ['HS256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(now()),
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      }))
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) throw new AppError('embed_token_invalid', { cause: err })
      throw err
    }
    const parsed = EmbedClaimsSchema.safeParse(payload)
    if (!parsed.success)
      throw new AppError('embed_token_invalid', {
        details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      })
    const claims = parsed.data
    if (claims.exp - claims.iat > MAX_EMBED_TOKEN_LIFETIME_SECONDS)
      throw new AppError('embed_token_invalid', {
        details: [
          { path: 'exp', message: `An embed token may live at most ${MAX_EMBED_TOKEN_LIFETIME_SECONDS} s` },
        ],
      })
    if (claims.iat * 1000 > now() + CLOCK_TOLERANCE_SECONDS * 1000)
      throw new AppError('embed_token_invalid', {
        details: [{ path: 'iat', message: 'Issued in the future' }],
      })
    return claims
  }

  return {
    verify,
    /** Verifies the token and spends its jti; a second exchange of the same token is refused. */
    async redeem(token: string): Promise<EmbedClaims> {
      const claims = await verify(token)
      const expiresAt = (claims.exp + CLOCK_TOLERANCE_SECONDS) * 1000
      const { changes } = await deps.db.run(
        'INSERT INTO embed_token_uses (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING',
        [claims.jti, expiresAt],
      )
      if (changes === 0) throw new AppError('embed_token_replayed')
      return claims
    },
    async deleteExpired() {
      return (await deps.db.run('DELETE FROM embed_token_uses WHERE expires_at <= ?', [now()])).changes
    },
  }
}

export type EmbedTokens = ReturnType<typeof createEmbedTokens>
