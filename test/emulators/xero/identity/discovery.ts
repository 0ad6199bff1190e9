import { Hono } from 'hono'
import type { XeroContext } from '../context.ts'
import { ACCOUNTING_SCOPES, IDENTITY_SCOPES } from '../facts.ts'

/**
 * OIDC discovery and JWKS, enough for openid-client's `Issuer.discover` (PROVIDERS 5.1). The
 * `authorization_response_iss_parameter_supported` flag is left out on purpose: with it,
 * openid-client would demand an `iss` on every callback (pitfall 3).
 */
export function discoveryRoutes(ctx: XeroContext) {
  const app = new Hono()
  app.get('/.well-known/openid-configuration', (c) => {
    const base = ctx.issuer()
    return c.json({
      issuer: base,
      jwks_uri: `${base}/.well-known/openid-configuration/jwks`,
      authorization_endpoint: `${base}/identity/connect/authorize`,
      token_endpoint: `${base}/connect/token`,
      userinfo_endpoint: `${base}/connect/userinfo`,
      revocation_endpoint: `${base}/connect/revocation`,
      scopes_supported: [...IDENTITY_SCOPES, ...ACCOUNTING_SCOPES],
      claims_supported: [
        'sub',
        'xero_userid',
        'email',
        'given_name',
        'family_name',
        'name',
        'preferred_username',
      ],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['plain', 'S256'],
    })
  })
  app.get('/.well-known/openid-configuration/jwks', async (c) => c.json(await ctx.signer.jwks()))
  return app
}
