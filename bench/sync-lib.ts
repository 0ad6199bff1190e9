// What the sync benchmarks share: the emulators with their clocks run `scale` times faster, the
// engine's limits shrunk to match (RATE_LIMIT_TIME_SCALE, as a worker process would read it), a test
// app on a temporary file for the host's side, and a worker in a second instance of the app on the
// same file with the real clock (the test app's clock is frozen).
import { writeSync, openSync } from 'node:fs'
import { createApp } from '../server/app.ts'
import { loadConfig } from '../server/config.ts'
import { openDb } from '../server/db/client.ts'
import { createLogger } from '../server/logging/logger.ts'
import { createProviderRegistry } from '../server/providers/registry.ts'
import { startAllEmulators, type EmulatedProvider } from '../test/emulators/all.ts'
import { createTestApp } from '../test/helpers/app.ts'

/** Milliseconds the process spent waiting on the emulators' answers (fetch to their URLs). */
export function timeFetches() {
  const original = globalThis.fetch
  const state = { ms: 0, calls: 0 }
  globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
    const start = performance.now()
    try {
      return await original(...args)
    } finally {
      state.ms += performance.now() - start
      state.calls++
    }
  }
  return state
}

export async function startSyncBench(options: { scale: number; providers: EmulatedProvider[] }) {
  const emu = await startAllEmulators({
    redirectUris: ['http://localhost:3000/v1/oauth/callback'],
    providers: options.providers,
    scale: options.scale,
  })
  const registry = createProviderRegistry(loadConfig({ NODE_ENV: 'test', ...emu.env }).providers)
  const t = await createTestApp({ logLevel: 'warn' }, { providers: registry })
  const db = openDb(t.config.database)
  const devNull = openSync('/dev/null', 'w')
  const { app, services } = createApp({
    config: { ...t.config, rateLimitTimeScale: 1 / options.scale },
    db,
    log: createLogger({ level: 'warn', sink: (line) => void writeSync(devNull, line + '\n') }),
    providers: registry,
  })
  return {
    emu,
    t,
    /** The second instance: its routes and its worker share a process, as `npm start` runs them. */
    app,
    services,
    async close() {
      db.close()
      t.close()
      await emu.close()
    },
  }
}

/** Waits until no job of the tenant is queued or running (a backing-off job is queued, not idle). */
export async function drained(
  bench: Awaited<ReturnType<typeof startSyncBench>>,
  tenant: string,
  worker: { whenIdle(): Promise<void> },
) {
  for (;;) {
    await worker.whenIdle()
    const left = await bench.t.db.get<{ n: number }>(
      "SELECT count(*) AS n FROM jobs WHERE tenant_id = ? AND state IN ('queued', 'running')",
      [tenant],
    )
    if (left!.n === 0) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
