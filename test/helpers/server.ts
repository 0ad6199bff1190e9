import { serve } from '@hono/node-server'
import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { openDb } from '../../server/db/client.ts'
import { migrate } from '../../server/db/migrate.ts'
import { createTenantsRepo } from '../../server/db/repos/tenants.ts'
import { DEMO_TENANT, seedDemo } from '../../server/demo/seed.ts'
import { createLogger } from '../../server/logging/logger.ts'
import { createProviderRegistry } from '../../server/providers/registry.ts'
import { startAllEmulators } from '../emulators/all.ts'

/**
 * The product as `npm start` runs it, on real loopback HTTP: the BFF with the demo on a temporary
 * database, and the three emulators registered with its callback. For browser tests. `publicHost`
 * spells PUBLIC_URL's host (it always listens on 127.0.0.1); `env` adds variables (ALLOWED_ORIGINS).
 */
export async function startProduct(
  options: {
    publicHost?: string
    env?: Record<string, string>
    /** `empty`: the demo's tenant with no customers or invoices (a test brings its own). */
    demo?: 'seeded' | 'empty'
  } = {},
) {
  let handler: (req: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 })
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: (req) => handler(req), port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    )
  })
  const url = `http://${options.publicHost ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`
  const emulators = await startAllEmulators({ redirectUris: [`${url}/v1/oauth/callback`] })
  const dir = mkdtempSync(join(tmpdir(), 'll-e2e-'))
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: url,
    DATABASE_URL: `file:${join(dir, 'e2e.db')}`,
    EMBED_SECRET: 'e2e-embed-secret-0123456789abcdef0123456789',
    DEMO: 'true',
    LOG_LEVEL: 'warn',
    ...emulators.env,
    ...options.env,
  })
  const db = openDb(config.database)
  await migrate(db)
  const logs: string[] = []
  const { app, services } = createApp({
    config,
    db,
    log: createLogger({ level: 'warn', sink: (l) => logs.push(l) }),
    providers: createProviderRegistry(config.providers),
  })
  if (options.demo === 'empty')
    await createTenantsRepo(db, services.now).upsert(DEMO_TENANT.id, DEMO_TENANT.name)
  else await seedDemo(services)
  handler = app.fetch
  return {
    url,
    emulators,
    services,
    db,
    logs,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await emulators.close()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
