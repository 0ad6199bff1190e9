import type { MiddlewareHandler } from 'hono'
import type { Clock } from '../../common/clock.ts'
import { createConcurrencyGauge, createWindowCounter } from '../../common/rate-limit.ts'
import { XERO_FACTS } from '../facts.ts'
import type { ApiEnv } from './env.ts'

export interface RateLimits {
  perMinute: number
  perDay: number
  concurrent: number
  appPerMinute: number
}

/** The value of `X-Rate-Limit-Problem` (PROVIDERS 1.4; E-X5). */
export type RateLimitProblem = 'concurrent' | 'minute' | 'day' | 'appminute'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/**
 * Xero's limits per connection (tenant × app) and per app, on the emulator clock: a rejected call
 * spends nothing, and every answer carries the remaining-calls headers (PROVIDERS 1.4).
 */
export function createRateLimiter(clock: Clock, overrides: Partial<RateLimits> = {}) {
  const limits: RateLimits = { ...XERO_FACTS.limits, ...overrides }
  const minute = createWindowCounter(clock, MINUTE, limits.perMinute)
  const day = createWindowCounter(clock, DAY, limits.perDay)
  const app = createWindowCounter(clock, MINUTE, limits.appPerMinute)
  const gauge = createConcurrencyGauge(limits.concurrent)
  const forced = new Map<string, { problem: RateLimitProblem; retryAfterSeconds: number; count: number }>()

  function headers(set: (name: string, value: string) => void, key: string, appKey: string) {
    set('X-DayLimit-Remaining', String(day.remaining(key)))
    set('X-MinLimit-Remaining', String(minute.remaining(key)))
    set('X-AppMinLimit-Remaining', String(app.remaining(appKey)))
  }

  function refuse(problem: RateLimitProblem, retryAfterMs?: number): Response {
    const h = new Headers({ 'X-Rate-Limit-Problem': problem })
    if (retryAfterMs !== undefined) h.set('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))))
    return new Response(null, { status: 429, headers: h })
  }

  function check(key: string, appKey: string): Response | null {
    const force = forced.get(key)
    if (force && force.count > 0) {
      force.count--
      return refuse(
        force.problem,
        force.problem === 'concurrent' ? undefined : force.retryAfterSeconds * 1000,
      )
    }
    const windows = [
      ['appminute', app, appKey],
      ['minute', minute, key],
      ['day', day, key],
    ] as const
    for (const [problem, counter, k] of windows) {
      if (counter.remaining(k) <= 0) {
        const r = counter.take(k)
        return refuse(problem, r.ok ? 0 : r.retryAfterMs)
      }
    }
    for (const [, counter, k] of windows) counter.take(k)
    return null
  }

  const middleware: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const key = `${c.var.grant.clientId}|${c.var.tenantId}`
    const appKey = c.var.grant.clientId
    if (!gauge.enter(key)) {
      const res = refuse('concurrent')
      headers((n, v) => res.headers.set(n, v), key, appKey)
      return res
    }
    try {
      const refused = check(key, appKey)
      if (refused) {
        headers((n, v) => refused.headers.set(n, v), key, appKey)
        return refused
      }
      await next()
      headers((n, v) => c.res.headers.set(n, v), key, appKey)
    } finally {
      gauge.leave(key)
    }
  }

  return {
    limits,
    middleware,
    /** The next `count` calls for the tenant answer 429 with this problem (control API). */
    force(clientId: string, tenantId: string, problem: RateLimitProblem, retryAfterSeconds = 60, count = 1) {
      forced.set(`${clientId}|${tenantId}`, { problem, retryAfterSeconds, count })
    },
    peakConcurrency: (clientId: string, tenantId: string) => gauge.peak(`${clientId}|${tenantId}`),
  }
}
