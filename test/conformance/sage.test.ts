import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSageAdapter } from '../../server/providers/sage/adapter.ts'
import type { SageEmulator } from '../emulators/sage/index.ts'
import { DEFAULT_SAGE_CLIENT, SAGE_DEMO_IDS, startSageEmulator } from '../emulators/sage/index.ts'
import { consent } from '../emulators/sage/testing.ts'
import type { Harness } from './conformance.ts'
import { NOW, connect, expectKind, frozenClock, runConformance } from './conformance.ts'

const REDIRECT = DEFAULT_SAGE_CLIENT.redirectUris[0]!

function sageHarness(emu: SageEmulator): Harness {
  return {
    adapter: (o = {}) =>
      createSageAdapter({
        clientId: DEFAULT_SAGE_CLIENT.clientId,
        clientSecret: o.clientSecret ?? DEFAULT_SAGE_CLIENT.clientSecret,
        urls: {
          authorize: `${emu.url}/oauth2/auth/central?filter=apiv3.1`,
          token: `${emu.url}/token`,
          revoke: `${emu.url}/revoke`,
          api: `${emu.url}/v3.1`,
        },
        now: () => NOW,
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      }),
    clientId: DEFAULT_SAGE_CLIENT.clientId,
    redirectUri: REDIRECT,
    // The helper builds the same URL from these parameters; Dana, the first user, sees two businesses.
    consent: async (url) =>
      (await consent(emu.url, { params: Object.fromEntries(url.searchParams) })).searchParams,
    advanceClock: (ms) => emu.control.advanceClock(ms),
    faults: {
      token: (fault) => emu.control.injectFault(fault),
      api: (fault) => emu.control.injectFault(fault),
      throttle: () => emu.control.forceThrottle(1),
    },
    expected: {
      pkce: true,
      accessLifetimeMs: 5 * 60_000,
      refreshLifetimeMs: 31 * 24 * 3_600_000,
      hardLifetimeMs: null,
      organisations: ['Hartley & Finch Ltd', 'Brightwater Studio Ltd'],
      refreshGraceMs: 0,
      correlationId: 'none',
      // Sage's 429 names no Retry-After: the adapter's documented fallback, one rate-limit minute.
      retryAfterMs: 60_000,
    },
    // The user removes the app in Sage: the grant no longer refreshes; the access token already
    // issued lives out its five minutes (as the emulator models it).
    providerSide: {
      act: (_org, tokens) => void emu.control.revokeGrant(tokens.refreshToken),
      check: 'ok',
      refresh: 'auth',
    },
    close: () => emu.close(),
  }
}

runConformance('Sage', async () => sageHarness(await startSageEmulator({ clock: frozenClock() })))

describe('Sage specifics', () => {
  let emu: SageEmulator
  beforeAll(async () => {
    emu = await startSageEmulator({ clock: frozenClock() })
  })
  afterAll(() => emu.close())

  it("reports a business the user no longer reaches as 'revoked', an expired token as 'auth'", async () => {
    const h = sageHarness(emu)
    const adapter = h.adapter()
    const { tokens } = await connect(h, adapter)
    // What check sees once Dana loses access to a business: it is no longer in /businesses.
    const other = { id: 'f'.repeat(32), name: 'A business Dana cannot see' }
    await expectKind(adapter.organisations.check(tokens.accessToken, other), 'revoked')
    emu.control.expireAccessTokens()
    const err = await expectKind(
      adapter.organisations.check(tokens.accessToken, {
        id: SAGE_DEMO_IDS.hartley,
        name: 'Hartley & Finch Ltd',
      }),
      'auth',
    )
    expect(err.status).toBe(401)
  })

  it('sends client credentials in the form body and the PKCE verifier on the exchange', async () => {
    const h = sageHarness(emu)
    emu.control.clearRequests()
    await connect(h)
    const exchange = emu.control.requests().find((r) => r.path === '/token')!
    const form = new URLSearchParams(exchange.body)
    expect(form.get('client_id')).toBe(DEFAULT_SAGE_CLIENT.clientId)
    expect(form.get('client_secret')).toBe(DEFAULT_SAGE_CLIENT.clientSecret)
    expect(form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(exchange.headers.authorization).toBeUndefined()
  })
})
