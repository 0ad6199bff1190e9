import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CANARY } from '../common/canary.ts'
import { createClock } from '../common/clock.ts'
import { startQuickBooksEmulator, type QuickBooksEmulator } from './index.ts'
import {
  ACCOUNTING,
  apiClient,
  authorizeUrl,
  basic,
  CLIENT,
  connect,
  consent,
  faultOf,
  REALM,
  REDIRECT,
  tokenRequest,
} from './test-support.ts'

const HOUR = 3600_000
const DAY = 24 * HOUR
let emu: QuickBooksEmulator

beforeEach(async () => {
  // A nearly frozen clock: durations in token answers depend only on advance().
  emu = await startQuickBooksEmulator({
    clock: createClock({ scale: 1e-9 }),
    companies: [{}, { name: 'Second Realm Co' }],
    clients: [{ ...CLIENT, disconnectUrl: 'https://app.example/qbo/disconnected' }],
  })
})
afterEach(() => emu.close())

describe('authorize and consent (E-Q1)', () => {
  it('renders a consent page with the companies, the signed-in user, Connect and Cancel', async () => {
    const res = await fetch(authorizeUrl(emu))
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(html).toContain('data-testid="allow"')
    expect(html).toContain('data-testid="cancel"')
    expect(html).toContain('Larkspur Landscaping LLC')
    expect(html).toContain('Second Realm Co')
  })

  it('shows an error page, never a redirect, for an unknown client or unregistered redirect URI', async () => {
    const cases: Record<string, string>[] = [
      { client_id: 'nope' },
      { redirect_uri: 'https://evil.example/cb' },
    ]
    for (const params of cases) {
      const res = await fetch(authorizeUrl(emu, params), { redirect: 'manual' })
      expect(res.status).toBe(400)
      expect(res.headers.get('location')).toBeNull()
    }
  })

  it('redirects errors back: invalid_scope, missing state, and access_denied on Cancel', async () => {
    const bad = await fetch(authorizeUrl(emu, { scope: 'com.intuit.quickbooks.everything' }), {
      redirect: 'manual',
    })
    expect(new URL(bad.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope')
    const noState = await fetch(authorizeUrl(emu, { state: '' }), { redirect: 'manual' })
    expect(new URL(noState.headers.get('location')!).searchParams.get('error')).toBe('invalid_request')
    const cancelled = await consent(emu, {}, { decision: 'cancel' })
    expect(Object.fromEntries(cancelled.searchParams)).toEqual({ error: 'access_denied', state: 'st-1' })
  })

  it('returns code, state and the chosen realmId to the redirect URI', async () => {
    const second = [
      ...(await (await fetch(authorizeUrl(emu))).text()).matchAll(/name="realmId" value="(\d+)"/g),
    ][1]![1]!
    const url = await consent(emu, {}, { realmId: second })
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT)
    expect([...url.searchParams.keys()]).toEqual(['code', 'state', 'realmId'])
    expect(url.searchParams.get('realmId')).toBe(second)
    expect(url.searchParams.get('code')).toContain(CANARY)
  })
})

describe('token endpoint (2.1, 2.2)', () => {
  it('answers the documented token shape; no id_token without openid', async () => {
    const { json } = await connect(emu)
    expect(Object.keys(json).sort()).toEqual(
      ['access_token', 'expires_in', 'refresh_token', 'token_type', 'x_refresh_token_expires_in'].sort(),
    )
    expect(json).toMatchObject({
      token_type: 'bearer',
      expires_in: 3600,
      x_refresh_token_expires_in: 8_640_000,
    })
    expect(json.access_token).toContain(CANARY)
    expect(json.refresh_token).toContain(CANARY)
  })

  it('adds an id_token when openid was granted, and the hard expiry only when asked by header', async () => {
    const redirect = await consent(emu, { scope: `${ACCOUNTING} openid` })
    const code = redirect.searchParams.get('code')!
    const { json } = await tokenRequest(
      emu,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
      { 'x-include-refresh-token-hard-expires-in': 'true' },
    )
    expect(json.id_token).toEqual(expect.any(String))
    expect(json.x_refresh_token_hard_expires_in).toBe(5 * 365 * 86_400)
  })

  it('uses an authorization code once, within 5 minutes, with the same redirect_uri', async () => {
    const code = () => consent(emu).then((u) => u.searchParams.get('code')!)
    const once = await code()
    const form = { grant_type: 'authorization_code', redirect_uri: REDIRECT }
    expect((await tokenRequest(emu, { ...form, code: once })).status).toBe(200)
    expect(await tokenRequest(emu, { ...form, code: once })).toEqual({
      status: 400,
      json: { error: 'invalid_grant' },
    })
    const late = await code()
    emu.control.clock.advance(5 * 60_000)
    expect((await tokenRequest(emu, { ...form, code: late })).json).toEqual({ error: 'invalid_grant' })
    const moved = await code()
    const other = { ...form, code: moved, redirect_uri: CLIENT.redirectUris[1]! }
    expect((await tokenRequest(emu, other)).json).toEqual({ error: 'invalid_grant' })
  })

  it('requires client authentication: Basic or client_secret_post; a wrong secret is 401 invalid_client', async () => {
    const code = (await consent(emu)).searchParams.get('code')!
    const wrong = await tokenRequest(
      emu,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
      {
        authorization: basic(CLIENT.clientId, 'wrong'),
      },
    )
    expect(wrong).toEqual({ status: 401, json: { error: 'invalid_client' } })
    const post = await tokenRequest(
      emu,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      },
      { authorization: '' },
    )
    expect(post.status).toBe(200)
  })

  it('rejects a JSON token request and an unknown grant type', async () => {
    const json = await fetch(new URL('/oauth2/v1/tokens/bearer', emu.url), {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'x' }),
    })
    expect(json.status).toBe(400)
    expect((await tokenRequest(emu, { grant_type: 'password' })).json).toEqual({
      error: 'unsupported_grant_type',
    })
  })
})

describe('refresh rotation and lifetimes (2.2, QB-P03, E-Q2)', () => {
  it('keeps the refresh-token value within 24 hours and changes it after; the replaced value is dead', async () => {
    const { refreshToken } = await connect(emu)
    const first = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: refreshToken })
    expect(first.json.refresh_token).toBe(refreshToken)
    emu.control.clock.advance(DAY)
    const rotated = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: refreshToken })
    expect(rotated.json.refresh_token).not.toBe(refreshToken)
    const old = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: refreshToken })
    expect(old).toEqual({ status: 400, json: { error: 'invalid_grant' } })
  })

  it('can rotate on every Nth refresh, as certification tests ask', async () => {
    emu.control.setRefreshRotation({ everyNth: 3, afterMs: null })
    let rt = (await connect(emu)).refreshToken
    const seen: boolean[] = []
    for (let i = 0; i < 6; i++) {
      const next = (await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: rt })).json
        .refresh_token as string
      seen.push(next !== rt)
      rt = next
    }
    expect(seen).toEqual([false, false, true, false, false, true])
  })

  it('expires access tokens after 60 minutes (401 Fault 3200) and refresh tokens after 100 idle days', async () => {
    const { accessToken, refreshToken } = await connect(emu)
    const api = apiClient(emu, accessToken)
    expect((await api.get(`companyinfo/${REALM}`)).status).toBe(200)
    emu.control.clock.advance(HOUR)
    const expired = await api.get(`companyinfo/${REALM}`)
    expect(expired.status).toBe(401)
    expect(faultOf(expired).code).toBe('3200')
    expect(expired.headers.get('www-authenticate')).toContain('Bearer')
    emu.control.clock.advance(99 * DAY)
    const rolled = await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: refreshToken })
    expect(rolled.json.x_refresh_token_expires_in).toBe(8_640_000)
    emu.control.clock.advance(100 * DAY)
    const dead = await tokenRequest(emu, {
      grant_type: 'refresh_token',
      refresh_token: rolled.json.refresh_token as string,
    })
    expect(dead.json).toEqual({ error: 'invalid_grant' })
  })

  it('caps the rolling expiry at the hard expiry and then refuses (QB-T01)', async () => {
    const { refreshToken } = await connect(emu)
    emu.control.setRefreshHardExpiry(REALM, 10 * DAY)
    const r = await tokenRequest(
      emu,
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      {
        'x-include-refresh-token-hard-expires-in': 'true',
      },
    )
    expect(r.json.x_refresh_token_expires_in).toBe(10 * 86_400)
    expect(r.json.x_refresh_token_hard_expires_in).toBe(10 * 86_400)
    emu.control.clock.advance(10 * DAY)
    expect(
      (await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: refreshToken })).json,
    ).toEqual({
      error: 'invalid_grant',
    })
  })

  it('refuses a token issued for another company with 403 Fault 3100', async () => {
    const { accessToken } = await connect(emu)
    const other = emu.control.realmIds()[1]!
    const res = await apiClient(emu, accessToken, other).get(`companyinfo/${other}`)
    expect(res.status).toBe(403)
    expect(faultOf(res).code).toBe('3100')
  })
})

describe('revocation and disconnect (QB-2.3, E-Q3)', () => {
  it('revokes with a JSON body and Basic auth; the whole grant dies', async () => {
    const { accessToken, refreshToken } = await connect(emu)
    const res = await fetch(new URL('/v2/oauth2/tokens/revoke', emu.url), {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ token: refreshToken }),
    })
    expect(res.status).toBe(200)
    expect((await apiClient(emu, accessToken).get(`companyinfo/${REALM}`)).status).toBe(401)
  })

  it('disconnecting inside QuickBooks revokes the grant and navigates to the Disconnect URL', async () => {
    const { refreshToken } = await connect(emu)
    const result = emu.control.disconnectFromQuickBooks(REALM)
    expect(result).toEqual({
      revoked: 1,
      navigateTo: `https://app.example/qbo/disconnected?realmId=${REALM}`,
    })
    expect(
      (await tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: refreshToken })).json,
    ).toEqual({
      error: 'invalid_grant',
    })
  })
})

describe('discovery, JWKS and userinfo (2.1, E-Q7)', () => {
  it('publishes a discovery document pointing at this emulator, following moved paths', async () => {
    const moved = await startQuickBooksEmulator({ paths: { token: '/v9/token' } })
    try {
      const doc = (await (await fetch(`${moved.url}/.well-known/openid_configuration`)).json()) as {
        jwks_uri: string
      }
      expect(doc).toMatchObject({
        issuer: 'https://oauth.platform.intuit.com/op/v1',
        token_endpoint: `${moved.url}/v9/token`,
        revocation_endpoint: `${moved.url}/v2/oauth2/tokens/revoke`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      })
      const { keys } = (await (await fetch(doc.jwks_uri)).json()) as { keys: unknown[] }
      expect(keys[0]).toMatchObject({
        kty: 'RSA',
        alg: 'RS256',
        kid: expect.any(String),
        n: expect.any(String),
      })
    } finally {
      await moved.close()
    }
  })

  it('answers userinfo per granted scope, and reports unverified e-mail addresses', async () => {
    emu.control.addUser({
      sub: 's-9',
      email: 'new@x.example',
      emailVerified: false,
      givenName: 'N',
      familyName: 'U',
    })
    const redirect = await consent(emu, { scope: 'openid email' }, { user: 's-9' })
    expect(redirect.searchParams.get('realmId')).toBeNull()
    const code = redirect.searchParams.get('code')!
    const { json } = await tokenRequest(emu, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    })
    const res = await fetch(new URL('/v1/openid_connect/userinfo', emu.url), {
      headers: { authorization: `Bearer ${String(json.access_token)}` },
    })
    expect(await res.json()).toEqual({ sub: 's-9', email: 'new@x.example', emailVerified: false })
  })
})
