import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  ProviderAdapter,
  ProviderErrorKind,
  ProviderOrganisation,
  TokenSet,
} from '../../server/providers/provider.ts'
import { ProviderError } from '../../server/providers/provider.ts'
import type { Fault } from '../emulators/common/faults.ts'

/**
 * The one suite every provider adapter passes against its emulator (STYLE.md "A provider adapter").
 * A provider supplies a Harness: how to start its emulator, build the adapter, click through the
 * consent page, and what its documented behaviour is; the assertions below are the same for all.
 * The adapters' clock is a fixed NOW, so expiries are exact and no test reads the wall clock; the
 * emulators' own clocks are moved with their control APIs.
 */
export const NOW = Date.UTC(2026, 10, 20, 9, 0, 0)

export interface Harness {
  adapter(overrides?: { clientSecret?: string; timeoutMs?: number }): ProviderAdapter
  clientId: string
  redirectUri: string
  /** Submits the emulator's consent page for this authorize URL; answers the redirect's query. */
  consent(url: URL): Promise<URLSearchParams>
  advanceClock(ms: number): void
  faults: {
    /** The next call to the token endpoint meets this fault. */
    token(fault: Fault): void
    /** The next accounting API call meets this fault. */
    api(fault: Fault): void
    /** The next API call for the organisation answers 429. */
    throttle(org: ProviderOrganisation): void
  }
  expected: {
    pkce: boolean
    accessLifetimeMs: number
    /** refreshExpiresAt − NOW after an exchange, when the provider (or its docs) says. */
    refreshLifetimeMs: number
    hardLifetimeMs: number | null
    /** The organisation names one default consent covers. */
    organisations: string[]
    /** How long a refresh token keeps working after use (0: it dies at once). */
    refreshGraceMs: number
    /**
     * Which error answers carry the provider's correlation id: 'all', or only the 401/403 of an
     * API call when the emulator leaves it off its 429s and outages.
     */
    correlationId: 'all' | 'auth-errors' | 'none'
    /** Retry-After the 429 names, or the adapter's documented fallback. */
    retryAfterMs: number
  }
  /** The user removes access on the provider's side, and what the adapter then reports. */
  providerSide: {
    act(org: ProviderOrganisation, tokens: TokenSet): void
    check: ProviderErrorKind | 'ok'
    refresh: ProviderErrorKind | 'ok'
  }
  close(): Promise<void>
}

export function pkcePair() {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

/** Rejects with a ProviderError of this kind (and answers it for further checks). */
export async function expectKind(work: Promise<unknown>, kind: ProviderErrorKind): Promise<ProviderError> {
  const err: unknown = await work.then(
    () => new Error(`expected ProviderError('${kind}'), but it succeeded`),
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ProviderError)
  expect((err as ProviderError).kind, (err as Error).message).toBe(kind)
  return err as ProviderError
}

/**
 * Lifetimes travel in whole seconds, and openid-client recomputes expires_in from its own
 * second-resolution clock: an expiry may land up to one second early, never late.
 */
function expectToTheSecond(actual: number | null, expected: number) {
  expect(actual).not.toBe(null)
  expect(expected - actual!).toBeGreaterThanOrEqual(0)
  expect(expected - actual!).toBeLessThanOrEqual(1000)
}

/** An emulator clock that moves only when a test moves it, so nothing depends on real time. */
export function frozenClock(start = NOW) {
  let now = start
  return {
    scale: 1,
    now: () => now,
    advance(ms: number) {
      now += ms
    },
    toRealMs: (ms: number) => ms,
  }
}

async function outcome(
  work: Promise<unknown>,
): Promise<{ kind: ProviderErrorKind | 'ok'; error?: ProviderError }> {
  try {
    await work
    return { kind: 'ok' }
  } catch (err) {
    if (err instanceof ProviderError) return { kind: err.kind, error: err }
    throw err
  }
}

/** Authorize, consent, exchange: a fresh grant. */
export async function connect(h: Harness, adapter = h.adapter()) {
  const { verifier, challenge } = pkcePair()
  const url = adapter.oauth.authorizeUrl({
    state: 'st-conf',
    codeChallenge: challenge,
    redirectUri: h.redirectUri,
  })
  const callback = await h.consent(url)
  const code = callback.get('code')
  if (!code) throw new Error(`consent gave no code: ${callback.toString()}`)
  const { tokens, grant } = await adapter.oauth.exchange({
    code,
    codeVerifier: verifier,
    redirectUri: h.redirectUri,
    callback,
  })
  const organisations = await adapter.organisations.list(tokens.accessToken, grant)
  return { tokens, grant, organisations, callback }
}

export function runConformance(name: string, start: () => Promise<Harness>) {
  describe(`${name} adapter conformance`, () => {
    let h: Harness
    let adapter: ProviderAdapter
    beforeAll(async () => {
      h = await start()
      adapter = h.adapter()
    })
    afterAll(() => h.close())

    it('builds the consent URL with client id, redirect, scopes, state and the PKCE challenge', () => {
      const url = adapter.oauth.authorizeUrl({
        state: 'st-1',
        codeChallenge: 'ch-1',
        redirectUri: h.redirectUri,
      })
      const q = url.searchParams
      expect(q.get('response_type')).toBe('code')
      expect(q.get('client_id')).toBe(h.clientId)
      expect(q.get('redirect_uri')).toBe(h.redirectUri)
      expect(q.get('state')).toBe('st-1')
      expect(q.get('scope')?.split(' ').sort()).toEqual([...adapter.facts.scopes].sort())
      expect(q.get('code_challenge')).toBe(h.expected.pkce ? 'ch-1' : null)
      expect(q.get('code_challenge_method')).toBe(h.expected.pkce ? 'S256' : null)
    })

    it('exchanges the code for tokens with absolute expiries and lists the organisations', async () => {
      const { tokens, organisations } = await connect(h, adapter)
      expect(tokens.accessToken).not.toBe(tokens.refreshToken)
      expectToTheSecond(tokens.expiresAt, NOW + h.expected.accessLifetimeMs)
      expectToTheSecond(tokens.refreshExpiresAt, NOW + h.expected.refreshLifetimeMs)
      if (h.expected.hardLifetimeMs === null) expect(tokens.hardExpiresAt).toBe(null)
      else expectToTheSecond(tokens.hardExpiresAt, NOW + h.expected.hardLifetimeMs)
      expect(organisations.map((o) => o.name).sort()).toEqual([...h.expected.organisations].sort())
      for (const org of organisations) await adapter.organisations.check(tokens.accessToken, org)
    })

    it('refreshes to a rotated token; the old one fails as the provider documents', async () => {
      const { tokens, organisations } = await connect(h, adapter)
      const next = await adapter.oauth.refresh(tokens.refreshToken)
      expect(next.refreshToken).not.toBe(tokens.refreshToken)
      expect(next.accessToken).not.toBe(tokens.accessToken)
      await adapter.organisations.check(next.accessToken, organisations[0]!)
      if (h.expected.refreshGraceMs > 0) {
        await adapter.oauth.refresh(tokens.refreshToken) // a lost answer can be retried in the grace
        h.advanceClock(h.expected.refreshGraceMs + 60_000)
      }
      await expectKind(adapter.oauth.refresh(tokens.refreshToken), 'auth')
    })

    it("reports a refresh token the provider does not know as 'auth' (invalid_grant)", async () => {
      const err = await expectKind(adapter.oauth.refresh('not-a-refresh-token'), 'auth')
      expect(err.status).toBe(400)
    })

    it('reports a removal on the provider side as documented', async () => {
      const { tokens, organisations } = await connect(h, adapter)
      const org = organisations[0]!
      h.providerSide.act(org, tokens)
      const checked = await outcome(adapter.organisations.check(tokens.accessToken, org))
      expect(checked.kind, checked.error?.message).toBe(h.providerSide.check)
      if (checked.error)
        expect(checked.error.correlationId === null).toBe(h.expected.correlationId === 'none')
      expect((await outcome(adapter.oauth.refresh(tokens.refreshToken))).kind).toBe(h.providerSide.refresh)
    })

    it('revokes the grant: the refresh token stops working', async () => {
      const { tokens } = await connect(h, adapter)
      await adapter.oauth.revoke(tokens)
      await expectKind(adapter.oauth.refresh(tokens.refreshToken), 'auth')
    })

    it("reports outages as 'transient' and throttling as 'rate_limited', keeping the correlation id", async () => {
      const { tokens, organisations } = await connect(h, adapter)
      const org = organisations[0]!
      h.faults.api({ kind: 'status', status: 503 })
      const outage = await expectKind(adapter.organisations.check(tokens.accessToken, org), 'transient')
      expect(outage.status).toBe(503)
      h.faults.api({ kind: 'reset' })
      expect(
        (await expectKind(adapter.organisations.check(tokens.accessToken, org), 'transient')).status,
      ).toBe(null)
      h.faults.throttle(org)
      const limited = await expectKind(adapter.organisations.check(tokens.accessToken, org), 'rate_limited')
      expect(limited.retryAfterMs).toBe(h.expected.retryAfterMs)
      if (h.expected.correlationId === 'all') {
        expect(limited.correlationId).not.toBe(null)
        expect(outage.correlationId).not.toBe(null)
      }
      h.faults.token({ kind: 'status', status: 503 })
      expect((await expectKind(adapter.oauth.refresh(tokens.refreshToken), 'transient')).status).toBe(503)
      await adapter.oauth.refresh(tokens.refreshToken) // the outage spent nothing
    })

    it("gives up on a silent token endpoint after the request timeout ('transient')", async () => {
      const { tokens } = await connect(h, adapter)
      h.faults.token({ kind: 'timeout', ms: 5_000 })
      await expectKind(h.adapter({ timeoutMs: 150 }).oauth.refresh(tokens.refreshToken), 'transient')
    })

    it('turns a wrong client secret into a ProviderError, not a crash', async () => {
      const wrong = h.adapter({ clientSecret: 'not-the-secret' })
      const { verifier, challenge } = pkcePair()
      const url = wrong.oauth.authorizeUrl({
        state: 'st-2',
        codeChallenge: challenge,
        redirectUri: h.redirectUri,
      })
      const callback = await h.consent(url)
      const err = await expectKind(
        wrong.oauth.exchange({
          code: callback.get('code')!,
          codeVerifier: verifier,
          redirectUri: h.redirectUri,
          callback,
        }),
        'validation',
      )
      expect(err.message).toMatch(/invalid_client/)
    })
  })
}
