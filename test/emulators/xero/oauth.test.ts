import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CANARY } from '../common/canary.ts'
import type { XeroEmulator } from './index.ts'
import { DEMO_CLIENT, startXeroEmulator } from './index.ts'
import { AU, REDIRECT_URI, UK, US, authorizeUrl, basic, connect, decide, tokenRequest } from './testing.ts'

let emu: XeroEmulator
beforeAll(async () => {
  emu = await startXeroEmulator({
    clients: [
      DEMO_CLIENT,
      {
        clientId: 'NEWAPP',
        clientSecret: 'new-secret',
        redirectUris: [REDIRECT_URI],
        granularScopesOnly: true,
      },
      { clientId: 'PKCEAPP', redirectUris: [REDIRECT_URI] },
    ],
  })
})
afterAll(() => emu.close())

async function codeFor(scope?: string) {
  const back = await decide(emu, authorizeUrl(emu, scope ? { scope } : {}), [UK])
  return back.searchParams.get('code')!
}

describe('authorize endpoint and consent page', () => {
  it('renders a consent page with every organisation, Allow and Cancel', async () => {
    const res = await fetch(authorizeUrl(emu))
    const html = await res.text()
    expect(res.status).toBe(200)
    for (const name of ['Hedgerow Software Ltd', 'Redwood Analytics Inc', 'Wattle &#38; Co Pty Ltd'])
      expect(html).toContain(name)
    expect(html).toMatch(/<button[^>]*value="allow"[^>]*>Allow access<\/button>/)
    expect(html).toMatch(/<button[^>]*value="cancel"[^>]*>Cancel<\/button>/)
    for (const id of [UK, US, AU]) expect(html).toContain(`value="${id}"`)
  })

  it('never redirects for an unknown client or an unregistered redirect_uri', async () => {
    const unknown = await fetch(authorizeUrl(emu, { client_id: 'NOPE' }), { redirect: 'manual' })
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('unauthorized_client')
    const wrongUri = await fetch(authorizeUrl(emu, { redirect_uri: `${REDIRECT_URI}/x` }), {
      redirect: 'manual',
    })
    expect(wrongUri.status).toBe(400)
    expect(await wrongUri.text()).toContain('Invalid redirect_uri')
  })

  it('redirects Cancel back as access_denied with the state', async () => {
    const back = await decide(emu, authorizeUrl(emu), [UK], 'cancel')
    expect(back.origin + back.pathname).toBe(REDIRECT_URI)
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: 'access_denied', state: 'st-123' })
  })

  it('echoes state and scope with the code on Allow', async () => {
    const back = await decide(emu, authorizeUrl(emu), [UK])
    expect(back.searchParams.get('state')).toBe('st-123')
    expect(back.searchParams.get('scope')).toContain('offline_access')
    expect(back.searchParams.get('code')).toContain(CANARY)
  })

  it('refuses an unknown scope, and the broad scopes for an app created after 2 March 2026', async () => {
    const res = await fetch(authorizeUrl(emu, { scope: 'openid accounting.everything' }), {
      redirect: 'manual',
    })
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope')
    const broad = await fetch(
      authorizeUrl(emu, { client_id: 'NEWAPP', scope: 'offline_access accounting.transactions' }),
      {
        redirect: 'manual',
      },
    )
    expect(new URL(broad.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope')
    const granular = await fetch(
      authorizeUrl(emu, { client_id: 'NEWAPP', scope: 'offline_access accounting.invoices' }),
    )
    expect(granular.status).toBe(200)
  })
})

describe('token endpoint', () => {
  it('exchanges a code once: a replay is invalid_grant', async () => {
    const code = await codeFor()
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }
    expect((await tokenRequest(emu, form)).status).toBe(200)
    expect(await tokenRequest(emu, form)).toEqual({ status: 400, body: { error: 'invalid_grant' } })
  })

  it('lets a code expire after 5 minutes', async () => {
    const code = await codeFor()
    emu.control.advanceClock(5 * 60_000 + 1000)
    const res = await tokenRequest(emu, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
    })
    expect(res).toEqual({ status: 400, body: { error: 'invalid_grant' } })
  })

  it('requires the client secret over HTTP Basic (or the form) and the same redirect_uri', async () => {
    const code = await codeFor()
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }
    expect(await tokenRequest(emu, form, basic(DEMO_CLIENT.clientId, 'wrong'))).toEqual({
      status: 400,
      body: { error: 'invalid_client' },
    })
    expect((await tokenRequest(emu, { ...form, redirect_uri: 'http://localhost:3000/other' })).body).toEqual({
      error: 'invalid_grant',
    })
  })

  it('answers Xero token sets: 30-minute JWT access token with the auth event, rotating refresh token', async () => {
    const tokens = await connect(emu)
    expect(tokens.expires_in).toBe(1800)
    expect(tokens.refresh_token).toContain(CANARY)
    expect(tokens.access_token.startsWith(emu.jwtCanaryPrefix)).toBe(true)
    const claims = decodeJwt(tokens.access_token)
    expect(claims.exp! - claims.nbf!).toBe(1800)
    expect(claims.authentication_event_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(claims.scope).toEqual(tokens.scope.split(' '))
  })

  it('includes an id_token only when openid was asked for, and a refresh token only with offline_access', async () => {
    const withOpenId = await connect(emu)
    expect(decodeJwt(withOpenId.id_token!)).toMatchObject({
      aud: DEMO_CLIENT.clientId,
      iss: emu.url,
      email: expect.any(String),
    })
    const without = await connect(emu, { scope: 'offline_access accounting.transactions' })
    expect(without.id_token).toBeUndefined()
    const noOffline = await connect(emu, { scope: 'accounting.transactions' })
    expect(noOffline.refresh_token).toBeUndefined()
  })

  it('lets a PKCE app exchange its code with the verifier and no secret', async () => {
    const verifier = 'v'.repeat(50)
    const { createHash } = await import('node:crypto')
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const url = authorizeUrl(emu, {
      client_id: 'PKCEAPP',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
    const code = (await decide(emu, url, [UK])).searchParams.get('code')!
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: 'PKCEAPP' }
    const wrong = await tokenRequest(emu, { ...form, code_verifier: 'x'.repeat(50) }, '')
    expect(wrong.body).toEqual({ error: 'invalid_grant' })
    const code2 = (await decide(emu, url, [UK])).searchParams.get('code')!
    const right = await tokenRequest(emu, { ...form, code: code2, code_verifier: verifier }, '')
    expect(right.status).toBe(200)
  })

  it('serves OIDC discovery and a JWKS that verifies the id_token', async () => {
    const discovery = (await (await fetch(`${emu.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >
    expect(discovery).toMatchObject({
      issuer: emu.url,
      token_endpoint: `${emu.url}/connect/token`,
      authorization_endpoint: `${emu.url}/identity/connect/authorize`,
      revocation_endpoint: `${emu.url}/connect/revocation`,
    })
    expect(discovery).not.toHaveProperty('authorization_response_iss_parameter_supported')
    const { createRemoteJWKSet, jwtVerify } = await import('jose')
    const tokens = await connect(emu)
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri!))
    const { payload } = await jwtVerify(tokens.id_token!, jwks, {
      issuer: emu.url,
      audience: DEMO_CLIENT.clientId,
      // Token times follow the emulator clock, which an earlier test moved forward.
      currentDate: new Date(emu.control.clock.now()),
    })
    expect(payload.xero_userid).toBeDefined()
  })
})
