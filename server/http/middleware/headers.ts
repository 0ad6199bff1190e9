import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../context.ts'

/**
 * Security headers and CORS, written before the handler runs. (Headers added to a finished
 * response make @hono/node-server rebuild it as a stream, which cost the status route most of its
 * throughput: `npm run bench -- --only status_route_rps`.) A handler may still override any of
 * them with `c.header()`, as the OAuth pages do for Cross-Origin-Opener-Policy.
 */
const SECURITY_HEADERS: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  // Pages here open the consent popup, so the opener relation must survive.
  ['Cross-Origin-Opener-Policy', 'same-origin-allow-popups'],
  // The widget script is loaded by host pages on other origins.
  ['Cross-Origin-Resource-Policy', 'cross-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
]

/**
 * No cache may keep an API answer (every /v1 answer is for one caller, or changes as records do)
 * nor any answer to a request that carries credentials, wherever it goes. Public static files
 * (/widget.js, /assets/*) set their own public caching, which overrides this.
 */
function isPrivate(c: Context<AppEnv>) {
  return (
    c.req.path.startsWith('/v1/') ||
    c.req.header('authorization') !== undefined ||
    c.req.header('cookie') !== undefined
  )
}

export function securityHeaders(options: { https: boolean }) {
  const headers = options.https
    ? [
        ...SECURITY_HEADERS,
        ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'] as [string, string],
      ]
    : SECURITY_HEADERS
  return createMiddleware<AppEnv>(async (c, next) => {
    for (const [name, value] of headers) c.header(name, value)
    if (isPrivate(c)) c.header('Cache-Control', 'no-store')
    await next()
  })
}

const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Request-Id'
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE'
const EXPOSE_HEADERS = 'X-Request-Id, Retry-After, Idempotent-Replayed'

/** CORS for the allowed origins only; credentials are bearer tokens, never cookies. */
export function cors(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins)
  return createMiddleware<AppEnv>(async (c, next) => {
    const origin = c.req.header('origin')
    c.header('Vary', 'Origin')
    const ok = origin !== undefined && allowed.has(origin)
    if (ok) {
      c.header('Access-Control-Allow-Origin', origin)
      c.header('Access-Control-Expose-Headers', EXPOSE_HEADERS)
    }
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      if (ok) {
        c.header('Access-Control-Allow-Methods', ALLOW_METHODS)
        c.header('Access-Control-Allow-Headers', ALLOW_HEADERS)
        c.header('Access-Control-Max-Age', '600')
      }
      return c.body(null, 204)
    }
    await next()
  })
}
