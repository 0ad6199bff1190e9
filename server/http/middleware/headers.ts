import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { setAnswerHeader } from '../answer-headers.ts'
import type { AppEnv } from '../context.ts'

/**
 * Security headers and CORS, for every answer: gathered before the handler runs and added to its
 * answer after (answer-headers.ts), under any header of the same name the handler set. A handler
 * may still override any of them with `c.header()`, as the OAuth pages do for
 * Cross-Origin-Opener-Policy.
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
  // Not async: nothing happens after next(), so its promise is handed on as it is.
  return createMiddleware<AppEnv>((c, next) => {
    for (const [name, value] of headers) setAnswerHeader(c, name, value)
    if (isPrivate(c)) setAnswerHeader(c, 'Cache-Control', 'no-store')
    return next()
  })
}

const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Request-Id'
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE'
const EXPOSE_HEADERS = 'X-Request-Id, Retry-After, Idempotent-Replayed'

/** CORS for the allowed origins only; credentials are bearer tokens, never cookies. */
export function cors(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins)
  return createMiddleware<AppEnv>((c, next) => {
    const origin = c.req.header('origin')
    setAnswerHeader(c, 'Vary', 'Origin')
    const ok = origin !== undefined && allowed.has(origin)
    if (ok) {
      setAnswerHeader(c, 'Access-Control-Allow-Origin', origin)
      setAnswerHeader(c, 'Access-Control-Expose-Headers', EXPOSE_HEADERS)
    }
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      if (ok) {
        setAnswerHeader(c, 'Access-Control-Allow-Methods', ALLOW_METHODS)
        setAnswerHeader(c, 'Access-Control-Allow-Headers', ALLOW_HEADERS)
        setAnswerHeader(c, 'Access-Control-Max-Age', '600')
      }
      return Promise.resolve(c.body(null, 204))
    }
    return next()
  })
}
