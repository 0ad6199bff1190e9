import { Hono } from 'hono'
import type { QboCore } from '../core.ts'
import { QBO } from '../facts.ts'

/**
 * Intuit's OpenID discovery document (2.1), with every endpoint on this emulator's origin. The
 * issuer stays Intuit's, because intuit-oauth compares id_token `iss` with that constant.
 */
export function discoveryRoutes(core: QboCore) {
  const app = new Hono()
  const document = (origin: string) => ({
    issuer: QBO.issuer,
    authorization_endpoint: `${origin}${core.paths.authorize}`,
    token_endpoint: `${origin}${core.paths.token}`,
    userinfo_endpoint: `${origin}${core.paths.userinfo}`,
    revocation_endpoint: `${origin}${core.paths.revoke}`,
    jwks_uri: `${origin}${core.paths.jwks}`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: [
      QBO.scopes.openid,
      'email',
      'profile',
      'address',
      'phone',
      QBO.scopes.accounting,
      QBO.scopes.payment,
    ],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    claims_supported: ['aud', 'exp', 'iat', 'iss', 'realmid', 'sub'],
  })
  for (const path of [core.paths.discovery, core.paths.discoverySandbox])
    app.get(path, (c) => c.json(document(new URL(c.req.url).origin)))
  return app
}
