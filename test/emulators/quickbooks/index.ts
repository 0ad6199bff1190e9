import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import { listen } from '../common/server.ts'
import { apiRoutes } from './api/routes.ts'
import { createControl, type QuickBooksControl } from './control.ts'
import { controlRoutes } from './control-routes.ts'
import { createQboCore, type QboCore } from './core.ts'
import { authorizeRoutes } from './oauth/authorize.ts'
import { discoveryRoutes } from './oauth/discovery.ts'
import { tokenRoutes } from './oauth/token.ts'
import type { QuickBooksEmulatorOptions } from './options.ts'
import { pageRoutes } from './pages.ts'

export type { QuickBooksEmulatorOptions, QboClientApp, QboUser, QboWebhookConfig } from './options.ts'
export { DEFAULT_CLIENT, DEFAULT_COMPANY, DEFAULT_USER } from './options.ts'
export type { QuickBooksControl } from './control.ts'

export interface QuickBooksEmulator {
  /** Base URL: OAuth, discovery and `/v3/company/{realmId}/…` all live under it. */
  url: string
  port: number
  control: QuickBooksControl
  close(): Promise<void>
}

/** Builds the Hono app and its control object without listening (for `app.request()` or a custom server). */
export async function createQuickBooksEmulatorApp(options: QuickBooksEmulatorOptions = {}) {
  const core: QboCore = await createQboCore(options)
  const settings = { lowercaseAuthFault: false }
  const control = createControl(core, settings)
  const app = new Hono()
  // Every Intuit answer carries intuit_tid (2.3); the request log records what the product sent.
  app.use(async (c, next) => {
    await next()
    const res = new Response(c.res.body, c.res)
    res.headers.set('intuit_tid', randomUUID())
    c.res = res
  })
  // The web app's pages come before the request log, which records what the product sends.
  app.route('/', pageRoutes(core))
  app.use(core.log.middleware)
  app.route('/', discoveryRoutes(core))
  app.route('/', authorizeRoutes(core))
  app.route('/', tokenRoutes(core))
  app.route('/', apiRoutes(core, settings))
  app.route('/', controlRoutes(control))
  return { app, control, core }
}

/** Starts the emulator on loopback (port 0 = a free port). */
export async function startQuickBooksEmulator(
  options: QuickBooksEmulatorOptions = {},
): Promise<QuickBooksEmulator> {
  const { app, control, core } = await createQuickBooksEmulatorApp(options)
  const server = await listen(app.fetch, { port: options.port ?? 0, hostname: options.hostname })
  core.webhooks.start()
  return {
    url: server.url,
    port: server.port,
    control,
    async close() {
      core.webhooks.stop()
      await server.close()
    },
  }
}
