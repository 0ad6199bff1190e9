import { CANARY } from '../common/canary.ts'
import { createClock, type Clock } from '../common/clock.ts'
import { listen } from '../common/server.ts'
import { createSageApp } from './app.ts'
import type { SageControl } from './control.ts'
import { SAGE_FACTS } from './facts.ts'
import { createGrants, type OAuthClient } from './oauth/grants.ts'
import { seedBusinesses, SEED_USERS } from './seed.ts'
import type { SageState } from './state.ts'

export type { SageControl } from './control.ts'
export type { OAuthClient as SageOAuthClient, SageTokenResponse } from './oauth/grants.ts'
export { DEMO_IDS as SAGE_DEMO_IDS } from './seed.ts'
export { SAGE_FACTS } from './facts.ts'

/** The app registration the demo uses when none is given. */
export const DEFAULT_SAGE_CLIENT: OAuthClient = {
  clientId: 'ledgerlink-sage-demo',
  clientSecret: `demo-secret-${CANARY}`,
  redirectUris: ['http://localhost:3000/oauth/sage/callback', 'http://127.0.0.1:3000/oauth/sage/callback'],
}

export interface SageEmulatorOptions {
  port?: number
  hostname?: string
  /** Share a clock with other emulators or the product; otherwise one is made with `scale`. */
  clock?: Clock
  scale?: number
  throttle?: Partial<{ perMinute: number; perDay: number }>
  clients?: OAuthClient[]
}

export interface SageEmulator {
  url: string
  port: number
  control: SageControl
  close(): Promise<void>
}

/** The Hono app and its control, without a socket (for `app.request()` tests). */
export function createSageEmulatorApp(options: SageEmulatorOptions = {}) {
  const clock = options.clock ?? createClock({ scale: options.scale ?? 1 })
  const state: SageState = {
    clock,
    clients: options.clients ?? [DEFAULT_SAGE_CLIENT],
    users: structuredClone(SEED_USERS),
    businesses: seedBusinesses(clock.now()),
    grants: createGrants(clock),
  }
  return createSageApp(state, { ...SAGE_FACTS.throttle, ...options.throttle })
}

/**
 * Starts the Sage emulator on loopback (port 0 picks a free port).
 *
 * @example const sage = await startSageEmulator(); fetch(`${sage.url}/v3.1/businesses`, …); await sage.close()
 */
export async function startSageEmulator(options: SageEmulatorOptions = {}): Promise<SageEmulator> {
  const { app, control } = createSageEmulatorApp(options)
  const server = await listen(app.fetch, {
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.hostname !== undefined ? { hostname: options.hostname } : {}),
  })
  return { url: server.url, port: server.port, control, close: () => server.close() }
}
