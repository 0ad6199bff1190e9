import { serve } from '@hono/node-server'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { createApp } from './app.ts'
import { loadConfigOrExit } from './config.ts'
import { filePathOf, openDb } from './db/client.ts'
import { migrate } from './db/migrate.ts'
import { seedDemo } from './demo/seed.ts'
import { startMaintenance } from './maintenance.ts'

/** The only file with start-up side effects: read config, open and migrate the database, serve. */
async function main() {
  const config = loadConfigOrExit()
  if (config.database.url.startsWith('file:'))
    mkdirSync(dirname(filePathOf(config.database.url)), { recursive: true })
  const db = openDb(config.database)
  const applied = await migrate(db)
  const { app, services } = createApp({ config, db })
  const log = services.log
  if (applied.length) log.info('migrations applied', { applied })
  if (config.demo && (await seedDemo(services))) log.info('demo data seeded')
  const maintenance = startMaintenance(services)

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const base = config.publicUrl
    log.info('listening', { port: info.port, host: config.host, database: db.driver })
    const lines = [
      '',
      `  LedgerLink is running on ${base}`,
      config.demo ? `  Demo host app:   ${base}/demo` : null,
      `  API reference:   ${base}/docs  (OpenAPI: ${base}/openapi.json)`,
      `  Health:          ${base}/healthz  ${base}/readyz`,
      '',
    ]
    process.stderr.write(lines.filter((l) => l !== null).join('\n') + '\n')
  })

  const stop = () => {
    maintenance.stop()
    server.close(() => {
      // A connection check running in the background finishes before the database closes.
      void services.connections.checks.settled().finally(() => {
        db.close()
        process.exit(0)
      })
    })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

await main()
