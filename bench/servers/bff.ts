// The BFF as deployed: temporary libSQL file, migrations, request logging (to /dev/null), and a
// session, so the status route does its real work (session lookup, JSON answer).
import { serve } from '@hono/node-server'
import { mkdtempSync, openSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { createApp } from '../../server/app.ts'
import { testConfig } from '../../server/config.ts'
import { openDb } from '../../server/db/client.ts'
import { migrate } from '../../server/db/migrate.ts'
import { createLogger } from '../../server/logging/logger.ts'
import { signEmbedToken } from '../../server/auth/embed-token.ts'

const dir = mkdtempSync(join(tmpdir(), 'll-bench-'))
const config = testConfig({
  database: { url: `file:${join(dir, 'bench.db')}`, busyTimeoutMs: 5000, authToken: undefined },
})
const db = openDb(config.database)
await migrate(db)
const devNull = openSync('/dev/null', 'w')
const log = createLogger({ level: 'info', sink: (line) => void writeSync(devNull, line + '\n') })
const { app, services } = createApp({ config, db, log })
const embed = await signEmbedToken(config.embedSecret, {
  sub: 'bench',
  tenant: 'bench',
  role: 'admin',
  name: 'Bench',
})
const { token } = await services.identity.exchangeEmbedToken(embed)
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  const { port } = server.address() as AddressInfo
  process.stdout.write(
    JSON.stringify({
      url: `http://127.0.0.1:${port}/v1/status`,
      headers: { authorization: `Bearer ${token}` },
    }) + '\n',
  )
})
