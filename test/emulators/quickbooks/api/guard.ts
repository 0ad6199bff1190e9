import type { MiddlewareHandler } from 'hono'
import type { Company } from '../company/store.ts'
import type { QboCore } from '../core.ts'
import { faults } from '../errors.ts'
import { QBO } from '../facts.ts'
import { faultResponse, jsonResponse } from './respond.ts'
import { intuitResponseTime } from '../time.ts'

export type ApiEnv = { Variables: { company: Company } }

/**
 * What stands before every `/v3/company/{realmId}/…` handler, in the order the real service applies
 * it: injected outages, bearer authentication (401 Fault 3200; a token for another company 403 Fault
 * 3100), throttling per realm (429 Fault 3001: 500 a minute, 10 at once), scripted faults, and the
 * `requestid` replay cache (2.5: the same requestid gets the original response, nothing runs again).
 */
export function apiGuard(
  core: QboCore,
  settings: { lowercaseAuthFault: boolean },
): MiddlewareHandler<ApiEnv>[] {
  const now = () => core.clock.now()
  const outage = core.apiFaults.middleware((status) => faultResponse(faults.server(status), now()), {
    rated: true,
  })

  const auth: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const realmId = c.req.param('realmId') ?? ''
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? ''
    const grant = core.grants.authenticate(bearer)
    if (!grant) return faultResponse(faults.authentication(), now(), settings.lowercaseAuthFault)
    const company = core.companies.get(realmId)
    const scoped = grant.scopes.includes(QBO.scopes.accounting)
    if (!company || grant.realmId !== realmId || !scoped) return faultResponse(faults.authorization(), now())
    c.set('company', company)
    await next()
  }

  const throttle: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const realmId = c.get('company').realmId
    const forced = core.limits.forced.get(realmId) ?? 0
    if (forced > 0) {
      core.limits.forced.set(realmId, forced - 1)
      return faultResponse(faults.throttled(), now())
    }
    if (!core.limits.minute.take(realmId).ok) return faultResponse(faults.throttled(), now())
    if (!core.limits.concurrency.enter(realmId)) return faultResponse(faults.throttled(), now())
    try {
      if (core.gate) await core.gate
      await next()
    } finally {
      core.limits.concurrency.leave(realmId)
    }
  }

  const scripted: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const fault = core.scripted.shift()
    if (!fault) return next()
    const body = {
      Fault: { Error: [fault.error], type: fault.type ?? 'ValidationFault' },
      time: intuitResponseTime(now()),
    }
    return jsonResponse(body, fault.status)
  }

  const idempotency: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const requestId = c.req.query('requestid')
    if (c.req.method !== 'POST' || !requestId) return next()
    const key = `${c.get('company').realmId}:${requestId}`
    const seen = core.replies.get(key)
    if (seen) return jsonResponse(JSON.parse(seen.body), seen.status)
    await next()
    // Only answers the service produced are replayed; a throttle or outage never ran the request.
    if (c.res.status === 200 || c.res.status === 400)
      core.replies.set(key, { status: c.res.status, body: await c.res.clone().text() })
  }

  return [outage as MiddlewareHandler<ApiEnv>, auth, throttle, scripted, idempotency]
}
