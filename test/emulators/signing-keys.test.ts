import { afterAll, describe, expect, it } from 'vitest'
import { startQuickBooksEmulator } from './quickbooks/index.ts'
import * as qbo from './quickbooks/test-support.ts'
import { startXeroEmulator } from './xero/index.ts'
import * as xero from './xero/testing.ts'

/**
 * An RSA key is slow to make, so the emulators of one process share one key pair; what a test can
 * see of an emulator stays its own: its JWKS names its key, and its tokens work only there.
 */
const started: { close(): Promise<void> }[] = []
afterAll(() => Promise.all(started.map((e) => e.close())))

async function jwk(url: string) {
  return ((await (await fetch(url)).json()) as { keys: { n: string; kid: string }[] }).keys[0]!
}

describe('signing keys', () => {
  it('Xero: two emulators publish the same key, and a token of one is refused by the other', async () => {
    const [a, b] = await Promise.all([startXeroEmulator(), startXeroEmulator()])
    started.push(a, b)
    const jwks = '/.well-known/openid-configuration/jwks'
    const [ka, kb] = await Promise.all([jwk(a.url + jwks), jwk(b.url + jwks)])
    expect(ka.n).toBe(kb.n)
    expect(ka.kid).toBe(kb.kid)
    const token = (await xero.connect(a)).access_token
    expect((await xero.api(a, token, 'GET', '/Organisation')).status).toBe(200)
    expect((await xero.api(b, token, 'GET', '/Organisation')).status).toBe(401)
  })

  it('QuickBooks: two emulators publish the same key, each under a kid, and keep their tokens', async () => {
    const [a, b] = await Promise.all([startQuickBooksEmulator(), startQuickBooksEmulator()])
    started.push(a, b)
    const [ka, kb] = await Promise.all([jwk(`${a.url}/op/v1/jwks`), jwk(`${b.url}/op/v1/jwks`)])
    expect(ka.n).toBe(kb.n)
    expect(ka.kid).toMatch(/^qbo-emu-/)
    expect(kb.kid).toMatch(/^qbo-emu-/)
    const { accessToken } = await qbo.connect(a)
    expect((await qbo.apiClient(a, accessToken).get(`companyinfo/${qbo.REALM}`)).status).toBe(200)
    expect((await qbo.apiClient(b, accessToken).get(`companyinfo/${qbo.REALM}`)).status).toBe(401)
  })
})
