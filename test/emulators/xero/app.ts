import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import { apiGuard } from './api/guard.ts'
import type { ApiEnv } from './api/env.ts'
import { contactRoutes } from './api/contacts.ts'
import { creditNoteRoutes } from './api/credit-notes.ts'
import { invoiceRoutes } from './api/invoices.ts'
import { paymentRoutes } from './api/payments.ts'
import { settingsRoutes } from './api/settings.ts'
import { validateAgainstSpec } from './api/validate.ts'
import type { XeroContext } from './context.ts'
import { createXeroControl } from './control.ts'
import { controlRoutes } from './control-routes.ts'
import { authorizeRoutes } from './identity/authorize.ts'
import { connectionRoutes } from './identity/connections.ts'
import { discoveryRoutes } from './identity/discovery.ts'
import { tokenRoutes } from './identity/token.ts'
import { pageRoutes } from './pages.ts'

/** A 500/503 as Xero's gateway sends it: a plain body, no JSON. */
const faultResponse = (status: number) =>
  new Response(status === 503 ? 'Service Unavailable' : 'Internal Server Error', { status })

/**
 * The whole emulated Xero on one origin: login.xero.com's authorize page, identity.xero.com's
 * token endpoints and discovery, api.xero.com's /connections and /api.xro/2.0, and read-only pages
 * of go.xero.com (pages.ts) where the adapter's links open records.
 */
export function createXeroApp(ctx: XeroContext) {
  const control = createXeroControl(ctx)
  const app = new Hono()
  app.route('/__control', controlRoutes(control))
  // The web app's pages come before the request log, which records what the product sends.
  app.route('/', pageRoutes(ctx))
  app.use('*', (c, next) =>
    c.req.path.startsWith('/__control') ? next() : ctx.log.middleware(c as never, next),
  )

  const identity = new Hono()
  identity.use('*', ctx.faults.middleware(faultResponse))
  identity.route('/', authorizeRoutes(ctx))
  identity.route('/', tokenRoutes(ctx))
  identity.route('/', discoveryRoutes(ctx))
  identity.route('/', connectionRoutes(ctx))

  // Order matters: auth and tenant, then limits (rejected calls spend nothing), then the
  // idempotency cache (replays count, injected faults get cached), then the spec check.
  const api = new Hono<ApiEnv>()
  // Every API answer carries a Xero-Correlation-Id (E-X6), 401s, 429s and gateway faults included.
  api.use('*', async (c, next) => {
    await next()
    c.res.headers.set('Xero-Correlation-Id', randomUUID())
  })
  api.use('*', apiGuard(ctx))
  api.use('*', ctx.limiter.middleware)
  api.use('*', ctx.idempotency.middleware)
  api.use('*', ctx.faults.middleware(faultResponse, { rated: true }))
  api.use('*', validateAgainstSpec)
  api.route('/', contactRoutes(ctx))
  api.route('/', invoiceRoutes(ctx))
  api.route('/', paymentRoutes(ctx))
  api.route('/', creditNoteRoutes(ctx))
  api.route('/', settingsRoutes())

  app.route('/api.xro/2.0', api)
  app.route('/', identity)
  return { app, control }
}
