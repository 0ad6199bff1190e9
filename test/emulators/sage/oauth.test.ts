import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CANARY } from '../common/canary.ts'
import { SAGE_DEMO_IDS, startSageEmulator, type SageEmulator } from './index.ts'
import {
  apiClient,
  asPage,
  asTokens,
  authorizeUrl,
  clientFields,
  connect,
  consent,
  REDIRECT_URI,
  tokenRequest,
} from './testing.ts'

let emu: SageEmulator
beforeEach(async () => {
  emu = await startSageEmulator()
})
afterEach(() => emu.close())

const codeFrom = async (params?: Record<string, string>) =>
  (await consent(emu.url, params ? { params } : {})).searchParams.get('code')!
const exchange = (code: string, extra: Record<string, string> = {}) =>
  tokenRequest(emu.url, {
    ...clientFields,
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    ...extra,
  })
const refresh = (refreshToken: string) =>
  tokenRequest(emu.url, { ...clientFields, grant_type: 'refresh_token', refresh_token: refreshToken })

describe('consent page (GET /oauth2/auth/central)', () => {
  it('renders a form with the signed-in user choice, their businesses, a country choice, Allow and Cancel', async () => {
    const html = await (await fetch(authorizeUrl(emu.url))).text()
    expect(html).toContain('<form method="post">')
    expect(html).toContain('Dana Hartley')
    expect(html).toContain('Hartley &#38; Finch Ltd')
    expect(html).toContain('name="country"')
    expect(html).toMatch(/<button[^>]*value="allow">Allow<\/button>/)
    expect(html).toMatch(/<button[^>]*value="cancel">Cancel<\/button>/)
  })

  it('skips the country choice when the request names a country', async () => {
    const html = await (await fetch(authorizeUrl(emu.url, { country: 'gb' }))).text()
    expect(html).not.toContain('name="country"')
  })

  it('Allow redirects with a region-prefixed code, the country and the state', async () => {
    const redirect = await consent(emu.url)
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI)
    expect(redirect.searchParams.get('code')).toMatch(/^GB\//)
    expect(redirect.searchParams.get('country')).toBe('GB')
    expect(redirect.searchParams.get('state')).toBe('state-123')
  })

  it('Cancel redirects with error=access_denied and the state', async () => {
    const redirect = await consent(emu.url, { decision: 'cancel' })
    expect(Object.fromEntries(redirect.searchParams)).toEqual({ error: 'access_denied', state: 'state-123' })
  })

  it('a country other than the business country fails the way Sage documents it', async () => {
    const redirect = await consent(emu.url, { params: { country: 'us' } })
    expect(redirect.search).toBe('?error=Invalid+request&reason=Email+already+in+use&state=state-123')
  })

  it('never redirects to an unknown client or an unregistered (even case-changed) redirect URI', async () => {
    const unknownClient = await fetch(authorizeUrl(emu.url, { client_id: 'nope' }), { redirect: 'manual' })
    expect(unknownClient.status).toBe(400)
    const caseChanged = await fetch(
      authorizeUrl(emu.url, { redirect_uri: REDIRECT_URI.replace('callback', 'Callback') }),
      {
        redirect: 'manual',
      },
    )
    expect(caseChanged.status).toBe(400)
    expect(caseChanged.headers.get('location')).toBeNull()
  })

  it.each([
    [{ scope: 'everything' }, 'invalid_scope'],
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ country: 'xx' }, 'invalid_request'],
  ])('%o is refused on the redirect URI with %s', async (params, error) => {
    const res = await fetch(authorizeUrl(emu.url, params), { redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe(error)
  })
})

describe('token endpoint (POST /token)', () => {
  it('answers the documented token response, with no id_token', async () => {
    const res = await exchange(await codeFrom())
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(
      [
        'access_token',
        'expires_in',
        'refresh_token',
        'refresh_token_expires_in',
        'requested_by_id',
        'scope',
        'token_type',
      ].sort(),
    )
    expect(body).toMatchObject({
      scope: 'full_access',
      token_type: 'bearer',
      expires_in: 300,
      refresh_token_expires_in: 2678400,
    })
    expect(body.requested_by_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/)
    expect(body.access_token).toContain(CANARY)
    expect(body.refresh_token).toContain(CANARY)
  })

  it('an authorization code is single use', async () => {
    const code = await codeFrom()
    expect((await exchange(code)).status).toBe(200)
    const again = await exchange(code)
    expect(again.status).toBe(400)
    expect(await again.json()).toEqual({ error: 'invalid_grant' })
  })

  it('an authorization code lives 60 seconds', async () => {
    const fresh = await codeFrom()
    emu.control.advanceClock(59_000)
    expect((await exchange(fresh)).status).toBe(200)
    const stale = await codeFrom()
    emu.control.advanceClock(60_000)
    expect(await (await exchange(stale)).json()).toEqual({ error: 'invalid_grant' })
  })

  it('the redirect_uri must match character for character', async () => {
    const res = await exchange(await codeFrom(), { redirect_uri: REDIRECT_URI.toUpperCase() })
    expect(await res.json()).toEqual({ error: 'invalid_grant' })
  })

  it('takes client credentials in the form body only: HTTP Basic or a wrong secret is invalid_client', async () => {
    const code = await codeFrom()
    const basic = await tokenRequest(
      emu.url,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
      {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientFields.client_id}:${clientFields.client_secret}`).toString('base64')}`,
        },
      },
    )
    expect(basic.status).toBe(401)
    expect(await basic.json()).toEqual({ error: 'invalid_client' })
    const wrong = await exchange(code, { client_secret: 'wrong' })
    expect(wrong.status).toBe(401)
  })

  it('refuses a JSON body and an unknown grant type', async () => {
    const json = await fetch(`${emu.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...clientFields, grant_type: 'refresh_token', refresh_token: 'x' }),
    })
    expect(await json.json()).toEqual({ error: 'invalid_request' })
    const odd = await tokenRequest(emu.url, { ...clientFields, grant_type: 'client_credentials' })
    expect(await odd.json()).toEqual({ error: 'unsupported_grant_type' })
  })

  it('checks a PKCE code_verifier when the code was asked for with a challenge', async () => {
    const verifier = 'v'.repeat(50)
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const params = { code_challenge: challenge, code_challenge_method: 'S256' }
    expect(await (await exchange(await codeFrom(params))).json()).toEqual({ error: 'invalid_grant' })
    expect((await exchange(await codeFrom(params), { code_verifier: verifier })).status).toBe(200)
  })
})

describe('token lifetimes, rotation and revocation', () => {
  it('an access token works for 300 seconds, then the API answers 401', async () => {
    const tokens = await connect(emu)
    const api = apiClient(emu, tokens.access_token)
    emu.control.advanceClock(299_000)
    expect((await api('/businesses')).status).toBe(200)
    emu.control.advanceClock(1_000)
    const res = await api('/businesses')
    expect(res.status).toBe(401)
    expect((await res.json())[0]).toMatchObject({ $severity: 'error', $dataCode: 'AuthorizationFailure' })
  })

  it('a refresh token is single use: it rotates and the old one is invalid_grant at once', async () => {
    const first = await connect(emu)
    const second = await asTokens(await refresh(first.refresh_token))
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect(second.expires_in).toBe(300)
    expect(await (await refresh(first.refresh_token)).json()).toEqual({ error: 'invalid_grant' })
    expect((await refresh(second.refresh_token)).status).toBe(200)
    // The access token issued before the refresh keeps working until its own expiry.
    expect((await apiClient(emu, first.access_token)('/businesses')).status).toBe(200)
  })

  it('a refresh token dies after 31 days unused; refreshing restarts the 31 days', async () => {
    const a = await connect(emu)
    emu.control.advanceClock(30 * 86_400_000)
    const b = await asTokens(await refresh(a.refresh_token))
    emu.control.advanceClock(30 * 86_400_000)
    const c = await asTokens(await refresh(b.refresh_token))
    expect(c.refresh_token).toEqual(expect.any(String))
    emu.control.advanceClock(31 * 86_400_000)
    expect(await (await refresh(c.refresh_token)).json()).toEqual({ error: 'invalid_grant' })
  })

  it('POST /revoke kills the refresh token; the access token lives out its 5 minutes', async () => {
    const tokens = await connect(emu)
    const res = await fetch(`${emu.url}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...clientFields, token: tokens.refresh_token }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ success: 'ok' })
    expect(await (await refresh(tokens.refresh_token)).json()).toEqual({ error: 'invalid_grant' })
    expect((await apiClient(emu, tokens.access_token)('/businesses')).status).toBe(200)
  })

  it('a provider-side revocation makes the next refresh invalid_grant', async () => {
    const tokens = await connect(emu)
    expect(emu.control.revokeGrant(tokens.access_token)).toBe(true)
    expect(await (await refresh(tokens.refresh_token)).json()).toEqual({ error: 'invalid_grant' })
  })

  it('the token covers every business of the user who signed in', async () => {
    const sam = await connect(emu, { user: SAGE_DEMO_IDS.sam })
    const list = await asPage(await apiClient(emu, sam.access_token)('/businesses'))
    expect(list.$items.map((b) => b.id)).toEqual([SAGE_DEMO_IDS.brightwater])
  })
})
