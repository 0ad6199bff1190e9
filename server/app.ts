import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from './http/context.ts'
import type { Config } from './config.ts'
import type { Db } from './db/client.ts'
import { AppError } from './errors.ts'
import { createLogger, type Logger } from './logging/logger.ts'
import { createServices } from './services.ts'
import { notFound, onError } from './http/errors.ts'
import { createRouter } from './http/openapi.ts'
import { requestContext } from './http/middleware/request-context.ts'
import { jsonOnly } from './http/middleware/json-only.ts'
import { cors, securityHeaders } from './http/middleware/headers.ts'
import { health } from './http/routes/health.ts'
import { sessions } from './http/routes/sessions.ts'
import { tenants } from './http/routes/tenants.ts'
import { customers } from './http/routes/customers.ts'
import { invoices } from './http/routes/invoices.ts'
import { creditNotes } from './http/routes/credit-notes.ts'
import { payments } from './http/routes/payments.ts'
import { addDocs } from './http/routes/docs.ts'
import { connections } from './http/routes/connections.ts'
import { sync } from './http/routes/sync.ts'
import { syncBulk } from './http/routes/sync-bulk.ts'
import { history } from './http/routes/history.ts'
import { mappings } from './http/routes/mappings.ts'
import { settings } from './http/routes/settings.ts'
import { WEBHOOKS_PREFIX, webhooks } from './http/routes/webhooks.ts'
import type { ProviderLookup } from './connections/service.ts'
import { assets } from './http/routes/assets.ts'
import { demo } from './demo/routes.ts'

export const MAX_BODY_BYTES = 1024 * 1024

export interface AppDeps {
  config: Config
  db: Db
  log?: Logger
  now?: () => number
  /** The provider adapters; by default built from the configuration. */
  providers?: ProviderLookup
}

/** The whole BFF as a fetch handler: no side effects until it is served. */
export function createApp(deps: AppDeps) {
  const log = deps.log ?? createLogger({ level: deps.config.logLevel })
  const services = createServices({
    config: deps.config,
    db: deps.db,
    log,
    now: deps.now,
    providers: deps.providers,
  })
  const app = createRouter()
  app.onError(onError)
  app.notFound(notFound)
  app.use(requestContext(services))
  app.use(securityHeaders({ https: deps.config.publicUrl.startsWith('https:') }))
  app.use('/v1/*', cors(deps.config.allowedOrigins))
  const limitBody: MiddlewareHandler<AppEnv> = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large')
    },
  })
  // Only writes carry bodies; asking a GET for its body would build a full Request for nothing.
  const writesOnly = createMiddleware<AppEnv>((c, next) =>
    ['POST', 'PUT', 'PATCH'].includes(c.req.method) ? limitBody(c, next) : next(),
  )
  // Providers' webhooks choose their own content type and run larger: their routes set their own limit.
  const exceptWebhooks = (middleware: MiddlewareHandler<AppEnv>) =>
    createMiddleware<AppEnv>((c, next) =>
      c.req.path.startsWith(WEBHOOKS_PREFIX) ? next() : middleware(c, next),
    )
  app.use('/v1/*', exceptWebhooks(writesOnly))
  app.use('/v1/*', exceptWebhooks(jsonOnly))
  for (const routes of [
    health,
    sessions,
    connections,
    webhooks,
    sync,
    syncBulk,
    history,
    mappings,
    settings,
    tenants,
    customers,
    invoices,
    creditNotes,
    payments,
  ])
    app.route('/', routes)
  addDocs(app)
  app.route('/', assets)
  if (deps.config.demo) app.route('/demo', demo)
  return { app, services }
}
