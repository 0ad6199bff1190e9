import { afterAll, beforeAll } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { createTestApp, type TestApp } from './app.ts'
import { createProviderRegistry } from '../../server/providers/registry.ts'
import { startAllEmulators, type EmulatedProvider } from '../emulators/all.ts'

/**
 * The three emulators on loopback and the real provider adapters pointed at them, by configuration
 * only, the way `npm start` does it. `redirectUri` must be the test app's callback.
 */
export async function startEmulatedProviders(
  redirectUri = 'http://localhost:3000/v1/oauth/callback',
  providers?: readonly EmulatedProvider[],
  options: { scale?: number } = {},
) {
  const emulators = await startAllEmulators({ redirectUris: [redirectUri], providers, ...options })
  const config = loadConfig({ NODE_ENV: 'test', ...emulators.env })
  return {
    ...emulators,
    registry: createProviderRegistry(config.providers),
    providersConfig: config.providers,
    /** The demo keys the emulators sign webhooks with, as LedgerLink's config reads them. */
    webhookKeys: config.webhookKeys,
  }
}

/**
 * For a test file: the emulators and a test app using them, started before and closed after all
 * its tests. Read `ctx.emu` and `ctx.t` inside tests.
 */
export function useEmulatedApp(providers?: readonly EmulatedProvider[]) {
  const ctx = {} as { emu: Awaited<ReturnType<typeof startEmulatedProviders>>; t: TestApp }
  beforeAll(async () => {
    ctx.emu = await startEmulatedProviders(undefined, providers)
    ctx.t = await createTestApp({}, { providers: ctx.emu.registry })
  })
  afterAll(async () => {
    ctx.t.close()
    await ctx.emu.close()
  })
  return ctx
}
