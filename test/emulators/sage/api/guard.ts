import type { MiddlewareHandler } from 'hono'
import { authorizationFailure, item, SageError } from '../errors.ts'
import type { SageState } from '../state.ts'
import type { ApiEnv } from './env.ts'

const bearer = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1]

/**
 * The business a request is for: `X-Business` when sent, else the user's lead business, which
 * the user can change in Sage at any time (PROVIDERS.md 3.2). Also used by the request log.
 */
export function businessIdFor(state: SageState, req: Request): string | null {
  const header = req.headers.get('x-business')
  if (header) return header
  const token = bearer(req.headers.get('authorization') ?? undefined)
  const auth = token ? state.grants.authenticate(token) : null
  return auth ? (state.users.find((u) => u.id === auth.userId)?.leadBusinessId ?? null) : null
}

/** Bearer token, business resolution, subscription and scope: the checks before any resource route. */
export function createGuard(state: SageState): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const token = bearer(c.req.header('authorization'))
    const auth = token ? state.grants.authenticate(token) : null
    if (!auth) throw authorizationFailure('The access token is missing, invalid or expired.')
    const user = state.users.find((u) => u.id === auth.userId)!
    const businessId = businessIdFor(state, c.req.raw)!
    const business = user.businessIds.includes(businessId) ? state.businesses.get(businessId) : undefined
    if (!business) throw authorizationFailure('The user has no access to the business given in X-Business.')
    // The documented 401 when a business's trial ends or its subscription is cancelled.
    if (!business.subscriptionActive && !c.req.path.endsWith('/businesses'))
      throw authorizationFailure('No active subscription. (MSE)')
    if (c.req.method !== 'GET' && auth.scope === 'readonly')
      throw authorizationFailure('The access token has read-only scope.')
    const json = c.req.header('content-type')?.startsWith('application/json')
    // A bodiless POST (…/release) needs no Content-Type.
    const hasBody =
      Number(c.req.header('content-length') ?? 0) > 0 || c.req.header('transfer-encoding') !== undefined
    if ((c.req.method === 'POST' || c.req.method === 'PUT') && hasBody && !json)
      throw new SageError(415, [item('UnsupportedMediaType', 'Content-Type must be application/json.')])
    c.set('user', user)
    c.set('business', business)
    c.set('scope', auth.scope)
    await next()
  }
}
