import { createHash, timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { XeroContext } from '../context.ts'
import type { OAuthClient } from './clients.ts'
import { readClientCredentials } from './clients.ts'
import type { AuthCode } from './store.ts'

const sameSecret = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

function pkceHolds(code: AuthCode, verifier: string | undefined): boolean {
  if (!code.codeChallenge) return true
  if (!verifier) return false
  const derived =
    code.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier
  return derived === code.codeChallenge
}

/** Token endpoint errors are `400 {"error":…}` (PROVIDERS 1.3). */
const oauthError = (c: Context, error: string) => c.json({ error }, 400)

async function readForm(c: Context): Promise<Record<string, string> | null> {
  if (!c.req.header('content-type')?.startsWith('application/x-www-form-urlencoded')) return null
  return Object.fromEntries(new URLSearchParams(await c.req.text()))
}

function authenticateClient(ctx: XeroContext, c: Context, form: Record<string, string>): OAuthClient | null {
  const creds = readClientCredentials(c.req.header('authorization'), form)
  const client = creds && ctx.clients.find((k) => k.clientId === creds.clientId)
  if (!client) return null
  if (!client.clientSecret) return creds.clientSecret ? null : client
  return creds.clientSecret && sameSecret(creds.clientSecret, client.clientSecret) ? client : null
}

/** A "lost response" (E-X2): the tokens are issued and stored, but the socket closes unanswered. */
function dropResponse(c: Context): Response {
  const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming
  incoming?.socket?.destroy()
  return new Response(null, { status: 599 })
}

/** `/connect/token`, `/connect/revocation` and `/connect/userinfo` (PROVIDERS 1.1, 1.3; E-X11). */
export function tokenRoutes(ctx: XeroContext) {
  const app = new Hono()

  app.post('/connect/token', async (c) => {
    const form = await readForm(c)
    if (!form) return oauthError(c, 'invalid_request')
    const client = authenticateClient(ctx, c, form)
    if (!client) return oauthError(c, 'invalid_client')
    let grant
    if (form.grant_type === 'authorization_code') {
      const code = form.code ? ctx.identity.redeemCode(form.code) : null
      if (!code || code.clientId !== client.clientId || code.redirectUri !== form.redirect_uri) {
        return oauthError(c, 'invalid_grant')
      }
      if (!pkceHolds(code, form.code_verifier)) return oauthError(c, 'invalid_grant')
      grant = ctx.identity.createGrant(code)
    } else if (form.grant_type === 'refresh_token') {
      const check = ctx.identity.useRefreshToken(form.refresh_token ?? '', client.clientId)
      if (!check.ok) return oauthError(c, 'invalid_grant')
      grant = check.grant
    } else {
      return oauthError(c, 'unsupported_grant_type')
    }
    const body = await ctx.mint(grant)
    if (ctx.tokenResponsesToDrop.count > 0) {
      ctx.tokenResponsesToDrop.count--
      return dropResponse(c)
    }
    c.header('Cache-Control', 'no-store, no-cache, max-age=0')
    c.header('Pragma', 'no-cache')
    return c.json(body)
  })

  // RFC 7009: an unknown token is not an error; revoking a refresh token ends the whole grant.
  app.post('/connect/revocation', async (c) => {
    const form = await readForm(c)
    if (!form) return oauthError(c, 'invalid_request')
    const client = authenticateClient(ctx, c, form)
    if (!client) return oauthError(c, 'invalid_client')
    if (!form.token) return oauthError(c, 'invalid_request')
    ctx.identity.revokeByRefreshToken(form.token, client.clientId)
    return c.body(null, 200)
  })

  app.get('/connect/userinfo', (c) => {
    const token = c.req.header('authorization')?.replace(/^Bearer /, '') ?? ''
    const found = ctx.identity.accessToken(token)
    if (!found || found.expired || !found.grant.scopes.includes('openid')) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"')
      return c.body(null, 401)
    }
    const { grant } = found
    return c.json({
      sub: ctx.user.userId.replaceAll('-', ''),
      xero_userid: ctx.user.userId,
      ...(grant.scopes.includes('email') ? { email: ctx.user.email } : {}),
      ...(grant.scopes.includes('profile')
        ? {
            given_name: ctx.user.givenName,
            family_name: ctx.user.familyName,
            preferred_username: ctx.user.email,
          }
        : {}),
    })
  })

  return app
}
