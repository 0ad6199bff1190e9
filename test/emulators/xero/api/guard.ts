import type { MiddlewareHandler } from 'hono'
import type { XeroContext } from '../context.ts'
import type { ApiEnv } from './env.ts'
import { problem, tokenExpiredDetail } from './errors.ts'

/**
 * Bearer token, then `xero-tenant-id` (PROVIDERS 1.1): a bad token is 401, a missing tenant or one
 * this user has not connected to this app (or disconnected in Xero, E-X4) is 403.
 */
export function apiGuard(ctx: XeroContext): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const token = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1] ?? ''
    const found = ctx.identity.accessToken(token)
    if (!found) return problem(c, 401)
    if (found.expired) return problem(c, 401, tokenExpiredDetail(found.expiredAt))
    const tenantId = c.req.header('xero-tenant-id') ?? ''
    const connected = ctx.identity.connectionsOf(found.grant).some((conn) => conn.tenantId === tenantId)
    const org = ctx.organisations.get(tenantId)
    if (!connected || !org) return problem(c, 403)
    c.set('grant', found.grant)
    c.set('tenantId', tenantId)
    c.set('org', org)
    c.set('now', ctx.clock.now())
    await next()
  }
}
