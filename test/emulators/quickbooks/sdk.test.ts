import { createRequire } from 'node:module'
import type OAuthClientClass from 'intuit-oauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClock } from '../common/clock.ts'
import { startQuickBooksEmulator, type QuickBooksEmulator } from './index.ts'
import { CLIENT, REALM, REDIRECT } from './test-support.ts'

/**
 * intuit-oauth 4.2.5, unmodified, pointed at the emulator only through its configuration (PROVIDERS
 * 5.2). Its endpoints are static class fields, so they are set once for this file and put back
 * afterwards: test files share worker processes, and the product's adapter uses the same class.
 */
const require = createRequire(import.meta.url)
const OAuthClient = require('intuit-oauth') as typeof OAuthClientClass
const STATICS = [
  'authorizeEndpoint',
  'tokenEndpoint',
  'revokeEndpoint',
  'userinfo_endpoint_sandbox',
  'environment',
  'jwks_uri',
  'retryConfig',
] as const
const statics = OAuthClient as unknown as Record<string, unknown>
const saved = Object.fromEntries(STATICS.map((k) => [k, structuredClone(statics[k])]))

let emu: QuickBooksEmulator
let client: InstanceType<typeof OAuthClient>

beforeAll(async () => {
  // A nearly frozen clock, so the lifetimes in token answers are exact.
  emu = await startQuickBooksEmulator({ clock: createClock({ scale: 1e-9 }) })
  client = new OAuthClient({
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    environment: 'sandbox',
    redirectUri: REDIRECT,
    includeRefreshTokenHardExpiresIn: true,
  })
  client.setAuthorizeURLs({
    authorizeEndpoint: `${emu.url}/connect/oauth2`,
    tokenEndpoint: `${emu.url}/oauth2/v1/tokens/bearer`,
    revokeEndpoint: `${emu.url}/v2/oauth2/tokens/revoke`,
    userInfoEndpoint: `${emu.url}/v1/openid_connect/userinfo`,
  })
  OAuthClient.environment = { sandbox: `${emu.url}/`, production: `${emu.url}/` }
  OAuthClient.jwks_uri = `${emu.url}/op/v1/jwks`
  OAuthClient.retryConfig.maxRetries = 0
})
afterAll(async () => {
  Object.assign(statics, saved)
  await emu.close()
})

/** What a browser does with the SDK's authorize URL: load the consent page and press Connect. */
async function approve(authorizeUri: string): Promise<string> {
  const html = await (await fetch(authorizeUri)).text()
  const form = new URLSearchParams()
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    form.set(m[1]!, m[2]!)
  form.set('realmId', REALM)
  form.set('decision', 'allow')
  const res = await fetch(`${emu.url}/connect/oauth2`, { method: 'POST', body: form, redirect: 'manual' })
  return res.headers.get('location')!
}

describe('intuit-oauth end to end', () => {
  it('authorizes, exchanges the code with realmId, calls the API, refreshes, validates the id_token and revokes', async () => {
    const uri: string = client.authorizeUri({
      scope: [OAuthClient.scopes.Accounting, OAuthClient.scopes.OpenId, OAuthClient.scopes.Email],
      state: 'st-sdk',
    })
    expect(uri.startsWith(`${emu.url}/connect/oauth2?`)).toBe(true)

    const callback = await approve(uri)
    expect(callback).toMatch(
      /^http:\/\/localhost:3000\/oauth\/quickbooks\/callback\?code=.+&state=st-sdk&realmId=/,
    )
    const created = await client.createToken(callback)
    const token = created.getJson()
    expect(client.getToken().realmId).toBe(REALM)
    expect(token.token_type).toBe('bearer')
    expect(token.expires_in).toBe(3600)
    expect(token.x_refresh_token_expires_in).toBe(100 * 86_400)
    expect(token.x_refresh_token_hard_expires_in).toBe(5 * 365 * 86_400)
    expect(await client.validateIdToken()).toBe(true)

    const info = await client.makeApiCall({ url: `v3/company/${REALM}/companyinfo/${REALM}?minorversion=75` })
    expect(info.json.CompanyInfo.CompanyName).toBe('Larkspur Landscaping LLC')
    expect(info.headers.intuit_tid).toBeTruthy()

    const user = await client.getUserInfo()
    expect(user.getJson()).toMatchObject({ email: 'casey@larkspur.example', emailVerified: true })

    emu.control.setRefreshRotation({ everyNth: 1 })
    const before = client.getToken().refresh_token
    await client.refresh()
    const after = client.getToken().refresh_token
    expect(after).not.toBe(before)
    await expect(client.refreshUsingToken(before)).rejects.toMatchObject({ error: 'invalid_grant' })
    client.getToken().refresh_token = after

    await client.revoke({ refresh_token: after })
    const revoked = emu.control.requests().find((r) => r.path === '/v2/oauth2/tokens/revoke')!
    expect(JSON.parse(revoked.body)).toEqual({ token: after })
    expect(revoked.headers['content-type']).toContain('application/json')
    await expect(client.refreshUsingToken(after)).rejects.toMatchObject({ error: 'invalid_grant' })
  })

  it('surfaces a QBO validation Fault as OAuthError with code, detail and intuit_tid', async () => {
    const callback = await approve(
      client.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state: 's2' }),
    )
    await client.createToken(callback)
    const error = await client
      .makeApiCall({
        url: `${emu.url}/v3/company/${REALM}/customer?minorversion=75`,
        method: 'POST',
        body: { DisplayName: 'Alder Street Bakery' },
      })
      .then(
        () => null,
        (e: unknown) => e,
      )
    expect(error).toMatchObject({
      code: '6240',
      faultType: 'ValidationFault',
      intuitTid: expect.stringMatching(/.+/),
    })
  })
})
