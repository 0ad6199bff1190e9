import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../../server/app.ts'
import { testConfig, type Config } from '../../server/config.ts'
import { openDb, type Db } from '../../server/db/client.ts'
import { migrate } from '../../server/db/migrate.ts'
import { createLogger } from '../../server/logging/logger.ts'
import { signEmbedToken } from '../../server/auth/embed-token.ts'
import type { ProviderLookup } from '../../server/connections/service.ts'

/**
 * A Db that counts the statements run on it outside transactions (every read of a GET), for
 * tests of how many reads a request costs: pass `wrap` as createTestApp's `wrapDb`.
 */
export function statementCounter() {
  const counter = {
    count: 0,
    wrap: (db: Db): Db => ({
      ...db,
      all: (sql, args) => (counter.count++, db.all(sql, args)),
      get: (sql, args) => (counter.count++, db.get(sql, args)),
      run: (sql, args) => (counter.count++, db.run(sql, args)),
    }),
  }
  return counter
}

/**
 * A BFF on a fresh temporary libSQL file, with its log lines captured. Call `close()` after.
 */
export async function createTestApp(
  overrides: Partial<Config> = {},
  options: {
    providers?: ProviderLookup
    /** Migrate from this folder (an older schema). */ migrations?: string
    wrapDb?: (db: Db) => Db
  } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'll-app-'))
  const config = testConfig({
    database: { url: `file:${join(dir, 'test.db')}`, busyTimeoutMs: 5000, authToken: undefined },
    ...overrides,
  })
  const opened = openDb(config.database)
  await migrate(opened, options.migrations)
  const db = options.wrapDb ? options.wrapDb(opened) : opened
  const logs: string[] = []
  let clock = Date.now()
  const now = () => clock
  const { app, services } = createApp({
    config,
    db,
    log: createLogger({ level: 'debug', sink: (l) => logs.push(l) }),
    now,
    providers: options.providers,
  })

  const request = (path: string, init: RequestInit & { json?: unknown; token?: string } = {}) => {
    const headers = new Headers(init.headers)
    if (init.json !== undefined) headers.set('content-type', 'application/json')
    if (init.token) headers.set('authorization', `Bearer ${init.token}`)
    return app.request(path, {
      ...init,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    })
  }

  return {
    app,
    services,
    db,
    config,
    logs,
    dir,
    request,
    advance: (ms: number) => void (clock += ms),
    now,
    async apiKey(name = 'test') {
      return (await services.apiKeys.create(name)).key
    },
    embedToken(
      claims: Partial<Parameters<typeof signEmbedToken>[1]> = {},
      options: Parameters<typeof signEmbedToken>[2] = {},
    ) {
      return signEmbedToken(
        config.embedSecret,
        { sub: 'user-1', tenant: 'acme', role: 'admin', name: 'Ada Admin', ...claims },
        { now: clock, ...options },
      )
    },
    /** A session token for a user of a tenant (created on the way). */
    async session(claims: Partial<Parameters<typeof signEmbedToken>[1]> = {}) {
      const res = await request('/v1/sessions', {
        method: 'POST',
        json: { embedToken: await this.embedToken(claims) },
      })
      if (res.status !== 201) throw new Error(`session exchange failed: ${res.status} ${await res.text()}`)
      return ((await res.json()) as { token: string }).token
    },
    close() {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>
