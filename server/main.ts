import { serve } from '@hono/node-server'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { createApp } from './app.ts'
import { loadConfigOrExit } from './config.ts'
import { filePathOf, openDb } from './db/client.ts'
import { migrate } from './db/migrate.ts'
import { seedDemo } from './demo/seed.ts'
import { randomSecret } from './ids.ts'

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
  // Jobs (sync, connection checks, periodic maintenance) run in this process by default;
  // `npm run worker` adds processes that only run jobs. Whichever starts queues what is missing.
  const worker = services.sync.worker({ owner: `web-${process.pid}-${randomSecret(4)}` })
  worker.start()
  await services.periodic.ensure()

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
    server.close(() => {
      void (async () => {
        // Jobs in hand finish; were this cut short, their leases would hand them to another worker.
        await worker.stop()
        db.close()
        process.exit(0)
      })()
    })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

await main()
