import { Hono, type Context } from 'hono'
import type { QboCore } from '../core.ts'
import { QBO } from '../facts.ts'
import type { QboClientApp } from '../options.ts'
import type { TokenSet } from './grants.ts'

const oauthError = (c: Context, error: string, status: 400 | 401) =>
  c.json({ error }, status, status === 401 ? { 'WWW-Authenticate': 'Basic realm="Intuit"' } : {})

/** Basic client authentication, or client_secret_post, as the discovery document advertises (2.1). */
function authenticateClient(core: QboCore, header: string | undefined, form: Record<string, string>) {
  let id = form.client_id
  let secret = form.client_secret
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    id = decoded.slice(0, colon)
    secret = decoded.slice(colon + 1)
  }
  return core.clients.find((c) => c.clientId === id && c.clientSecret === secret) ?? null
}

async function tokenResponse(
  core: QboCore,
  set: TokenSet,
  client: QboClientApp,
  withIdToken: boolean,
  hard: boolean,
) {
  const now = core.clock.now()
  const { grant } = set
  const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000))
  return {
    token_type: 'bearer',
    expires_in: seconds(set.accessExpiresAt - now),
    refresh_token: grant.refreshToken,
    x_refresh_token_expires_in: seconds(grant.refreshExpiresAt - now),
    ...(hard ? { x_refresh_token_hard_expires_in: seconds(grant.hardExpiresAt - now) } : {}),
    access_token: set.accessToken,
    ...(withIdToken && grant.scopes.includes(QBO.scopes.openid)
      ? {
          id_token: await core.signer.sign({
            sub: grant.userSub,
            aud: client.clientId,
            realmId: grant.realmId,
            nowMs: now,
            expiresAtMs: now + QBO.tokens.idTokenTtlMs,
          }),
        }
      : {}),
  }
}

/**
 * Token (form body, client auth), revoke (JSON `{"token"}`, Basic auth, RFC 7009: 200 whatever the
 * token) and userinfo (bearer, openid scope). `x_refresh_token_hard_expires_in` is returned only when
 * the request sends `x-include-refresh-token-hard-expires-in: true` (2.2).
 */
export function tokenRoutes(core: QboCore) {
  const app = new Hono()
  app.use(
    core.paths.token,
    core.oauthFaults.middleware((status) => new Response(null, { status })),
  )
  app.use(
    core.paths.revoke,
    core.oauthFaults.middleware((status) => new Response(null, { status })),
  )

  app.post(core.paths.token, async (c) => {
    if (!(c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded'))
      return oauthError(c, 'invalid_request', 400)
    const form = Object.fromEntries(
      Object.entries(await c.req.parseBody()).map(([k, v]) => [k, typeof v === 'string' ? v : '']),
    )
    const client = authenticateClient(core, c.req.header('authorization'), form)
    if (!client) return oauthError(c, 'invalid_client', 401)
    const hard = c.req.header('x-include-refresh-token-hard-expires-in') === 'true'
    let result: TokenSet | 'invalid_grant'
    if (form.grant_type === 'authorization_code') {
      if (!form.code || !form.redirect_uri) return oauthError(c, 'invalid_request', 400)
      result = core.grants.exchangeCode(client.clientId, form.code, form.redirect_uri)
    } else if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) return oauthError(c, 'invalid_request', 400)
      result = core.grants.refresh(client.clientId, form.refresh_token)
    } else return oauthError(c, 'unsupported_grant_type', 400)
    if (result === 'invalid_grant') return oauthError(c, 'invalid_grant', 400)
    const body = await tokenResponse(core, result, client, form.grant_type === 'authorization_code', hard)
    return c.json(body, 200, { 'Cache-Control': 'no-store', Pragma: 'no-cache' })
  })

  app.post(core.paths.revoke, async (c) => {
    const client = authenticateClient(core, c.req.header('authorization'), {})
    if (!client) return oauthError(c, 'invalid_client', 401)
    let token: unknown
    try {
      token = (await c.req.json<{ token?: unknown }>()).token
    } catch {
      return oauthError(c, 'invalid_request', 400)
    }
    if (typeof token !== 'string' || token === '') return oauthError(c, 'invalid_request', 400)
    core.grants.revoke(client.clientId, token)
    return c.body(null, 200)
  })

  app.get(core.paths.userinfo, (c) => {
    const bearer = c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? ''
    const grant = core.grants.authenticate(bearer)
    if (!grant) return c.json({ error: 'invalid_token' }, 401)
    if (!grant.scopes.includes(QBO.scopes.openid)) return c.json({ error: 'insufficient_scope' }, 403)
    const user = core.users.find((u) => u.sub === grant.userSub)!
    const has = (s: string) => grant.scopes.includes(s)
    return c.json({
      sub: user.sub,
      ...(has('email') ? { email: user.email, emailVerified: user.emailVerified } : {}),
      ...(has('profile') ? { givenName: user.givenName, familyName: user.familyName } : {}),
      ...(has('phone') && user.phoneNumber
        ? { phoneNumber: user.phoneNumber, phoneNumberVerified: true }
        : {}),
    })
  })

  app.get(core.paths.jwks, (c) => c.json(core.signer.jwks()))
  return app
}
