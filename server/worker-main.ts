import { createApp } from './app.ts'
import { loadConfigOrExit } from './config.ts'
import { openDb } from './db/client.ts'
import { migrate } from './db/migrate.ts'
import { randomSecret } from './ids.ts'

/**
 * `npm run worker`: a process that only runs jobs (sync, connection checks, periodic maintenance),
 * beside any number of BFF processes and other workers on the same database. Stops cleanly on
 * SIGINT/SIGTERM (jobs in hand finish first).
 */
const config = loadConfigOrExit()
const db = openDb(config.database)
await migrate(db)
const { services } = createApp({ config, db })
const worker = services.sync.worker({ owner: `worker-${process.pid}-${randomSecret(4)}` })
worker.start()
await services.periodic.ensure()
services.log.info('worker started', { owner: worker.owner, database: db.driver })
const stop = async () => {
  await worker.stop()
  db.close()
  process.exit(0)
}
process.once('SIGINT', () => void stop())
process.once('SIGTERM', () => void stop())
