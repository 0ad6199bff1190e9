import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { QuickBooksEmulator } from '../emulators/quickbooks/index.ts'
import { DEFAULT_CLIENT, DEFAULT_COMPANY, startQuickBooksEmulator } from '../emulators/quickbooks/index.ts'
import { consent } from '../emulators/quickbooks/test-support.ts'
import type { Harness } from './conformance.ts'
import { connect, expectKind, frozenClock, runConformance } from './conformance.ts'
import { quickBooksAdapter } from './quickbooks-harness.ts'

const DAY = 86_400_000
const REDIRECT = DEFAULT_CLIENT.redirectUris[0]!

function quickBooksHarness(emu: QuickBooksEmulator): Harness {
  return {
    adapter: (o = {}) => quickBooksAdapter(emu, o),
    clientId: DEFAULT_CLIENT.clientId,
    redirectUri: REDIRECT,
    consent: async (url) => (await consent(emu, Object.fromEntries(url.searchParams))).searchParams,
    advanceClock: (ms) => emu.control.clock.advance(ms),
    faults: {
      token: (fault) => emu.control.injectFault(fault, 1, 'oauth'),
      api: (fault) => emu.control.injectFault(fault, 1, 'api'),
      throttle: (org) => emu.control.forceThrottle(org.id),
    },
    expected: {
      pkce: false,
      accessLifetimeMs: 3_600_000,
      refreshLifetimeMs: 100 * DAY,
      hardLifetimeMs: 5 * 365 * DAY,
      organisations: [DEFAULT_COMPANY.name],
      refreshGraceMs: 0,
      correlationId: 'all',
      // No Retry-After on QBO's 429: the adapter's documented fallback, one rate-limit minute.
      retryAfterMs: 60_000,
    },
    // "My Apps → Disconnect" in QuickBooks revokes the tokens themselves: a refused token (401) is
    // all the API shows, so check reports 'auth', like refresh.
    providerSide: {
      act: (org) => void emu.control.disconnectFromQuickBooks(org.id),
      check: 'auth',
      refresh: 'auth',
    },
    close: () => emu.close(),
  }
}

// Every refresh changes the value here, the strictest reading of "from time to time" (QB-P03).
runConformance('QuickBooks', async () =>
  quickBooksHarness(
    await startQuickBooksEmulator({ clock: frozenClock(), refreshRotation: { everyNth: 1 } }),
  ),
)

describe('QuickBooks specifics', () => {
  let emu: QuickBooksEmulator
  beforeAll(async () => {
    emu = await startQuickBooksEmulator({ clock: frozenClock() })
  })
  afterAll(() => emu.close())

  it('carries the realmId of the callback as the grant and reads CompanyInfo for it', async () => {
    const { grant, organisations } = await connect(quickBooksHarness(emu))
    expect(grant.meta).toEqual({ realmId: DEFAULT_COMPANY.realmId })
    expect(organisations).toEqual([{ id: DEFAULT_COMPANY.realmId, name: DEFAULT_COMPANY.name }])
    const read = emu.control.requests(DEFAULT_COMPANY.realmId).at(-1)!
    expect(read.path).toBe(`/v3/company/${DEFAULT_COMPANY.realmId}/companyinfo/${DEFAULT_COMPANY.realmId}`)
    expect(read.query.minorversion).toBe('75')
  })

  it('asks for the hard expiry and keeps a refresh token whose value has not changed yet', async () => {
    const h = quickBooksHarness(emu)
    const adapter = h.adapter()
    const { tokens } = await connect(h, adapter)
    const token = emu.control
      .requests()
      .filter((r) => r.path === '/oauth2/v1/tokens/bearer')
      .at(-1)!
    expect(token.headers['x-include-refresh-token-hard-expires-in']).toBe('true')
    const next = await adapter.oauth.refresh(tokens.refreshToken)
    expect(next.refreshToken).toBe(tokens.refreshToken) // the value changes about daily, not per refresh
    expect(next.hardExpiresAt).not.toBe(null)
  })

  it('sends no PKCE parameters, which intuit-oauth cannot carry', () => {
    const url = quickBooksHarness(emu)
      .adapter()
      .oauth.authorizeUrl({ state: 's', codeChallenge: 'c', redirectUri: REDIRECT })
    expect(url.origin + url.pathname).toBe(`${emu.url}/connect/oauth2`)
    expect(url.searchParams.has('code_challenge')).toBe(false)
  })

  it("reports a token for another company (403, Fault 3100) as 'revoked'", async () => {
    const h = quickBooksHarness(emu)
    const adapter = h.adapter()
    const { tokens } = await connect(h, adapter)
    const err = await expectKind(
      adapter.organisations.check(tokens.accessToken, { id: '1234567890', name: 'x' }),
      'revoked',
    )
    expect(err.status).toBe(403)
    expect(err.correlationId).not.toBe(null)
  })
})
