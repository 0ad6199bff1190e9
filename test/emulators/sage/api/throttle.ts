import type { MiddlewareHandler } from 'hono'
import type { Clock } from '../../common/clock.ts'
import { createWindowCounter } from '../../common/rate-limit.ts'
import { item, SageError } from '../errors.ts'
import type { ApiEnv } from './env.ts'

export interface ThrottleLimits {
  perMinute: number
  perDay: number
}

/**
 * Sage documents only "429 Too Many Requests … a throttling error" for v3.1, with no header
 * contract, so none is sent: the product must back off on a bare 429.
 */
export function createThrottle(clock: Clock, limits: ThrottleLimits) {
  const minute = createWindowCounter(clock, 60_000, limits.perMinute)
  const day = createWindowCounter(clock, 86_400_000, limits.perDay)
  const forced = new Map<string, number>() // business id, or '*' for every business
  const tooMany = () =>
    new SageError(429, [item('TooManyRequests', 'Too many requests. Please retry later.')])

  function takeForced(businessId: string): boolean {
    for (const key of [businessId, '*']) {
      const left = forced.get(key) ?? 0
      if (left > 0) {
        forced.set(key, left - 1)
        return true
      }
    }
    return false
  }

  const middleware: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const id = c.get('business').id
    if (takeForced(id)) throw tooMany()
    // Check the day before spending a minute slot, so a refused call costs nothing.
    if (day.remaining(id) <= 0 || !minute.take(id).ok) throw tooMany()
    day.take(id)
    await next()
  }

  return {
    middleware,
    /** Control: the next `count` calls (for one business, or all) answer 429. */
    force(count: number, businessId = '*') {
      forced.set(businessId, (forced.get(businessId) ?? 0) + count)
    },
    remaining: (businessId: string) => ({
      minute: minute.remaining(businessId),
      day: day.remaining(businessId),
    }),
  }
}
