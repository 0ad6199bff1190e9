import type { MiddlewareHandler } from 'hono'
import { droppedAnswer } from '../../common/faults.ts'
import type { Clock } from '../../common/clock.ts'
import { XERO_FACTS } from '../facts.ts'
import { XERO_MESSAGES } from '../messages.ts'
import type { ApiEnv } from './env.ts'
import { requestRefused } from './errors.ts'

interface CachedAnswer {
  fingerprint: string
  at: number
  status: number
  headers: [string, string][]
  body: string
}

const WRITES = new Set(['PUT', 'POST', 'PATCH'])

/**
 * `Idempotency-Key` on PUT/POST/PATCH (PROVIDERS 1.5): the first answer, errors included, is
 * replayed for 6 minutes; the same key on a different request is refused. It sits after the rate
 * limiter (replays still count) and before fault injection (an injected 500 is cached too, E-X7).
 */
export function createIdempotencyCache(clock: Clock) {
  const answers = new Map<string, CachedAnswer>()

  const middleware: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const key = c.req.header('idempotency-key')
    if (!key || !WRITES.has(c.req.method)) return next()
    if (key.length > XERO_FACTS.idempotency.maxKeyLength)
      return requestRefused(c, XERO_MESSAGES.idempotencyKeyTooLong)
    const cacheKey = `${c.var.grant.clientId}|${c.var.tenantId}|${key}`
    const url = new URL(c.req.url)
    const fingerprint = `${c.req.method} ${url.pathname}${url.search}\n${await c.req.text()}`
    const cached = answers.get(cacheKey)
    if (cached && clock.now() - cached.at <= XERO_FACTS.idempotency.ttlMs) {
      if (cached.fingerprint !== fingerprint)
        return requestRefused(c, XERO_MESSAGES.idempotencyKeyReused(key))
      return replay(cached)
    }
    await next()
    // A cut connection with no answer (reset, timeout) caches nothing; an answer cut in transit is kept.
    const answer = c.res.status === 599 ? droppedAnswer(c.req.raw) : c.res
    if (answer) answers.set(cacheKey, await snapshot(answer, fingerprint))
  }

  async function snapshot(res: Response, fingerprint: string): Promise<CachedAnswer> {
    const body = await res.clone().text()
    return { fingerprint, at: clock.now(), status: res.status, headers: [...res.headers], body }
  }

  function replay(cached: CachedAnswer): Response {
    return new Response(cached.body || null, { status: cached.status, headers: cached.headers })
  }

  return { middleware, clear: () => answers.clear() }
}
