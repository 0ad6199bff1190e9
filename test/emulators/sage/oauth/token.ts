import { Hono, type Context } from 'hono'
import { SAGE_FACTS } from '../facts.ts'
import { findClient, type SageState } from '../state.ts'
import type { OAuthErrorCode } from './grants.ts'

const STATUS: Record<OAuthErrorCode, 400 | 401> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
}

const oauthError = (c: Context, error: OAuthErrorCode) => c.json({ error }, STATUS[error])

/**
 * Reads the form body and authenticates the client from it. Sage takes client_id and
 * client_secret in the body only (PROVIDERS.md 3.1): HTTP Basic alone is an unauthenticated client.
 */
async function authenticatedForm(c: Context, state: SageState) {
  if (!c.req.header('content-type')?.startsWith('application/x-www-form-urlencoded'))
    return 'invalid_request' as const
  const form = Object.fromEntries(new URLSearchParams(await c.req.text()))
  const client = findClient(state, form.client_id)
  if (!client || form.client_secret !== client.clientSecret) return 'invalid_client' as const
  return { form, client }
}

/** POST /token (authorization_code, refresh_token) and POST /revoke, as oauth.accounting.sage.com serves them. */
export function createTokenRoutes(state: SageState) {
  const app = new Hono()

  app.post(SAGE_FACTS.paths.token, async (c) => {
    const auth = await authenticatedForm(c, state)
    if (typeof auth === 'string') return oauthError(c, auth)
    const { form, client } = auth
    c.header('cache-control', 'no-store')
    if (!form.grant_type) return oauthError(c, 'invalid_request')
    if (form.grant_type === 'authorization_code') {
      if (!form.code || !form.redirect_uri) return oauthError(c, 'invalid_request')
      const result = state.grants.exchangeCode({
        clientId: client.clientId,
        code: form.code,
        redirectUri: form.redirect_uri,
        ...(form.code_verifier ? { codeVerifier: form.code_verifier } : {}),
      })
      return result.ok ? c.json(result.tokens) : oauthError(c, result.error)
    }
    if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) return oauthError(c, 'invalid_request')
      const result = state.grants.refresh({ clientId: client.clientId, refreshToken: form.refresh_token })
      return result.ok ? c.json(result.tokens) : oauthError(c, result.error)
    }
    return oauthError(c, 'unsupported_grant_type')
  })

  app.post(SAGE_FACTS.paths.revoke, async (c) => {
    const auth = await authenticatedForm(c, state)
    if (typeof auth === 'string') return oauthError(c, auth)
    if (!auth.form.token) return oauthError(c, 'invalid_request')
    state.grants.revokeRefreshToken({ clientId: auth.client.clientId, token: auth.form.token })
    return c.json({ success: 'ok' })
  })

  return app
}
