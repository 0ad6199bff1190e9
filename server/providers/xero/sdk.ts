import { createRequire } from 'node:module'
import path from 'node:path'
import type * as OpenId from 'openid-client'
import type * as XeroNode from 'xero-node'
import type { XeroClient } from 'xero-node'
import { XERO_FACTS, XERO_WIRE } from './facts.ts'

/**
 * xero-node pointed at the configured hosts without patching it and without process-global state
 * (PROVIDERS.md 5.1, 5.5): its `openIdClient` is set to a client of an Issuer built from explicit
 * endpoints, so `initialize()` (which discovers identity.xero.com) never runs, and the accounting
 * API's base path comes from configuration. The methods with hard-coded hosts
 * (refreshWithRefreshToken, updateTenants, disconnect…) are never called.
 */
const require = createRequire(import.meta.url)
const { XeroClient: XeroClientClass } = require('xero-node') as typeof XeroNode
// openid-client as xero-node resolves it (v5, CJS): the same module instance its XeroClient uses.
const xeroDir = path.dirname(require.resolve('xero-node/package.json'))
const openid = require(require.resolve('openid-client', { paths: [xeroDir] })) as typeof OpenId

export interface XeroUrls {
  authorize: string
  identity: string
  api: string
  /** The web app the links of synced records open (go.xero.com). */
  app: string
}

export interface XeroSdkOptions {
  clientId: string
  clientSecret: string
  urls: XeroUrls
  timeoutMs: number
}

const trim = (url: string) => url.replace(/\/+$/, '')

/** One XeroClient per use: it holds tokens, and a shared one would mix organisations' tokens. */
export function createXeroSdk(options: XeroSdkOptions, redirectUri?: string): XeroClient {
  const identity = trim(options.urls.identity)
  const issuer = new openid.Issuer({
    issuer: identity,
    authorization_endpoint: options.urls.authorize,
    token_endpoint: `${identity}${XERO_WIRE.paths.token}`,
    revocation_endpoint: `${identity}${XERO_WIRE.paths.revocation}`,
    jwks_uri: `${identity}${XERO_WIRE.paths.jwks}`,
  })
  const redirectUris = redirectUri ? [redirectUri] : []
  const client = new issuer.Client({
    client_id: options.clientId,
    client_secret: options.clientSecret,
    redirect_uris: redirectUris,
    response_types: ['code'],
  })
  // Per client, not openid-client's process-wide setHttpOptionsDefaults (PROVIDERS 5.1 pitfall 6).
  client[openid.custom.http_options] = (_url, opts) => ({ ...opts, timeout: options.timeoutMs })
  client[openid.custom.clock_tolerance] = 5

  const xero = new XeroClientClass({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUris,
    scopes: [...XERO_FACTS.scopes],
  })
  xero.openIdClient = client
  xero.accountingApi.basePath = `${trim(options.urls.api)}${XERO_WIRE.paths.accounting}`
  // The generated API clients take no timeout option; their "default authentication" hook is the
  // one per-instance place that sees each axios request's options before it is sent.
  xero.accountingApi.setDefaultAuthentication({
    applyToRequest: (request) => void (request.timeout = options.timeoutMs),
  })
  return xero
}
