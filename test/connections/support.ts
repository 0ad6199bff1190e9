import { serve } from '@hono/node-server'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ProviderId } from '../../shared/providers.ts'
import { createApp } from '../../server/app.ts'
import type { ProviderLookup } from '../../server/connections/service.ts'
import { openDb } from '../../server/db/client.ts'
import { createLogger } from '../../server/logging/logger.ts'
import type { TestApp } from '../helpers/app.ts'
import { connect } from './flow.ts'

/** A connection made through the whole consent (flow.ts's `connect`), answered as the panel shows it. */
export async function connected(t: TestApp, token: string, provider: ProviderId) {
  const { status, html } = await connect(t, token, provider)
  if (!status.connection) throw new Error(`the consent connected nothing: ${html}`)
  return status.connection
}

/** A fetch handler on real loopback HTTP (port 0), for tests that need real concurrent requests. */
export async function listen(fetch: (req: Request) => Response | Promise<Response>) {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server))
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** Another BFF instance on the test app's database file and clock: what a second process would be. */
export function secondInstance(t: TestApp, providers: ProviderLookup) {
  const db = openDb(t.config.database)
  const { app, services } = createApp({
    config: t.config,
    db,
    log: createLogger({ level: 'error', sink: () => undefined }),
    now: t.now,
    providers,
  })
  return { app, services, close: () => db.close() }
}

/**
 * The same adapters, with each connection check counted as it starts and as it ends, so a test can
 * tell whether an answer went out while a provider call was still open.
 */
export function watchChecks(providers: ProviderLookup) {
  const calls = { started: 0, ended: 0 }
  return {
    calls,
    providers: {
      get(id: ProviderId) {
        const adapter = providers.get(id)
        if (!adapter) return undefined
        const check: typeof adapter.organisations.check = async (token, organisation) => {
          calls.started++
          try {
            return await adapter.organisations.check(token, organisation)
          } finally {
            calls.ended++
          }
        }
        return { ...adapter, organisations: { ...adapter.organisations, check } }
      },
    },
  }
}

/**
 * Runs the jobs now due on these instances' workers (connection checks, periodic work), all at
 * once, until none is left: what the workers of npm start and npm run worker do.
 */
export async function runDueJobs(...instances: { services: TestApp['services'] }[]) {
  const workers = instances.map((i, n) => i.services.sync.worker({ owner: `test-${n}`, pollMs: 20 }))
  for (const worker of workers) worker.start()
  await Promise.all(workers.map((w) => w.whenIdle()))
  await Promise.all(workers.map((w) => w.stop()))
}

/**
 * Marks the connection's polling passes (sync/polling.ts) as just run, so a test counting one
 * job's provider calls (a check, a keep-alive) counts no poll beside them.
 */
export async function pollsJustRan(t: Pick<TestApp, 'db' | 'now'>, connectionId: string) {
  for (const pass of ['light', 'daily'])
    await t.db.run(
      `INSERT INTO poll_cursors (connection_id, pass, started_at, finished_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (connection_id, pass) DO UPDATE SET finished_at = excluded.finished_at`,
      [connectionId, pass, t.now(), t.now()],
    )
}
