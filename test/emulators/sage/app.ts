import { Hono } from 'hono'
import { createFaultQueue } from '../common/faults.ts'
import { createRequestLog } from '../common/request-log.ts'
import { createApiApp } from './api/app.ts'
import { businessIdFor } from './api/guard.ts'
import { createThrottle, type ThrottleLimits } from './api/throttle.ts'
import { createControl } from './control.ts'
import { createControlRoutes } from './control-routes.ts'
import { item, SageError, sageErrorResponse } from './errors.ts'
import { SAGE_FACTS } from './facts.ts'
import { createAuthorizeRoutes } from './oauth/authorize.ts'
import { createTokenRoutes } from './oauth/token.ts'
import { pageRoutes } from './pages.ts'
import type { SageState } from './state.ts'

const FAULT_CODES: Record<number, string> = {
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
}

/**
 * One origin serving what Sage spreads over three hosts: www.sageone.com (consent),
 * oauth.accounting.sage.com (/token, /revoke) and api.accounting.sage.com (/v3.1), plus /__control
 * and read-only pages of the web app (pages.ts) where the API's `links` open records.
 */
export function createSageApp(state: SageState, limits: ThrottleLimits) {
  const faults = createFaultQueue()
  const throttle = createThrottle(state.clock, limits)
  const log = createRequestLog(
    (req) => (new URL(req.url).pathname.startsWith(SAGE_FACTS.paths.api) ? businessIdFor(state, req) : null),
    () => state.clock.now(),
  )
  const control = createControl(state, { faults, throttle, log })
  const faultResponse = (status: number) =>
    sageErrorResponse(
      new SageError(status, [
        item(FAULT_CODES[status] ?? 'InternalServerError', 'Something went wrong. Please retry later.'),
      ]),
    )

  const app = new Hono()
  app.route(SAGE_FACTS.paths.control, createControlRoutes(control))
  // The web app's pages come before the request log, which records what the product sends.
  app.route('/', pageRoutes(state))
  app.use('*', log.middleware)
  app.use(SAGE_FACTS.paths.token, faults.middleware(faultResponse))
  app.use(SAGE_FACTS.paths.revoke, faults.middleware(faultResponse))
  app.use(`${SAGE_FACTS.paths.api}/*`, faults.middleware(faultResponse, { rated: true }))
  app.route('/', createAuthorizeRoutes(state))
  app.route('/', createTokenRoutes(state))
  app.route(SAGE_FACTS.paths.api, createApiApp(state, throttle))
  app.notFound((c) =>
    c.req.path.startsWith(SAGE_FACTS.paths.api)
      ? sageErrorResponse(new SageError(404, [item('RecordNotFound', 'Not found.')]))
      : c.text('Not Found', 404),
  )
  app.onError((err) => {
    if (err instanceof SageError) return sageErrorResponse(err)
    console.error('sage emulator:', err)
    return faultResponse(500)
  })
  return { app, control }
}
