// One more BFF process on an existing database, for tests of several processes sharing it (as
// DESIGN §8 runs them): serves on a free loopback port, prints the port, stops on SIGTERM.
import { serve } from '@hono/node-server'
import { createApp } from '../../server/app.ts'
import { testConfig } from '../../server/config.ts'
import { openDb } from '../../server/db/client.ts'
import { createLogger } from '../../server/logging/logger.ts'

const url = process.argv[2]!
const config = testConfig({ database: { url, busyTimeoutMs: 5000, authToken: undefined } })
const db = openDb(config.database)
const log = createLogger({ level: 'error', sink: (line) => process.stderr.write(line + '\n') })
const { app } = createApp({ config, db, log })
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
  process.stdout.write(`${info.port}\n`),
)
process.on('SIGTERM', () => {
  server.close()
  db.close()
  process.exit(0)
})
