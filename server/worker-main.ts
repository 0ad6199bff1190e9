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
// The worker's own timers are unref'd (the web process and tests must never hang on them), so in
// a process that does nothing else, this is what keeps it running until it is told to stop.
const alive = setInterval(() => undefined, 60_000)
const stop = async () => {
  clearInterval(alive)
  await worker.stop()
  db.close()
  process.exit(0)
}
// Before anything says the worker started: a signal that arrives after that must stop it cleanly.
process.once('SIGINT', () => void stop())
process.once('SIGTERM', () => void stop())
worker.start()
await services.periodic.ensure()
services.log.info('worker started', { owner: worker.owner, database: db.driver })
