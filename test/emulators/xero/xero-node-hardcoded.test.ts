/* eslint-disable @typescript-eslint/no-unsafe-argument -- provider JSON is read loosely; assertions pin its shape */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { XeroClient } from 'xero-node'
import type { XeroEmulator } from './index.ts'
import { DEMO_CLIENT, startXeroEmulator } from './index.ts'
import { AU, UK, decide } from './testing.ts'
import { sdkAxios, xeroClientFor } from './xero-sdk.ts'

/**
 * refreshWithRefreshToken, updateTenants and disconnect use hard-coded Xero URLs through xero-node's
 * axios (PROVIDERS 5.1). This file alone rewrites them, with an interceptor ejected after the file.
 */
let emu: XeroEmulator
let xero: XeroClient
let interceptor: number

beforeAll(async () => {
  emu = await startXeroEmulator()
  const rewrites: [string, string][] = [
    ['https://identity.xero.com', emu.url],
    ['https://api.xero.com/connections', `${emu.url}/connections`],
    ['https://api.xero.com/api.xro/2.0', `${emu.url}/api.xro/2.0`],
  ]
  interceptor = sdkAxios.interceptors.request.use((cfg) => {
    for (const [from, to] of rewrites)
      if (cfg.url?.startsWith(from)) cfg.url = to + cfg.url.slice(from.length)
    return cfg
  })
  xero = await xeroClientFor(emu.url, ['offline_access', 'accounting.transactions', 'accounting.settings'])
  await xero.apiCallback((await decide(emu, await xero.buildConsentUrl(), [UK, AU])).toString())
})
afterAll(async () => {
  sdkAxios.interceptors.request.eject(interceptor)
  await emu.close()
})

describe('xero-node calls with hard-coded URLs', () => {
  it('oauthCallback accepted a token response without id_token, since openid was not asked for', () => {
    expect(xero.readTokenSet().id_token).toBeUndefined()
  })

  it('updateTenants reads /connections and each organisation', async () => {
    const tenants = await xero.updateTenants(true)
    expect(tenants.map((t: { tenantId: string }) => t.tenantId).sort()).toEqual([UK, AU].sort())
    expect(tenants.find((t: { tenantId: string }) => t.tenantId === AU).orgData.baseCurrency).toBe('AUD')
  })

  it('refreshWithRefreshToken rotates the refresh token', async () => {
    const old = xero.readTokenSet().refresh_token!
    const next = await xero.refreshWithRefreshToken(DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret!, old)
    expect(next.refresh_token).toBeDefined()
    expect(next.refresh_token).not.toBe(old)
  })

  it('disconnect deletes one connection', async () => {
    const au = xero.tenants.find((t: { tenantId: string }) => t.tenantId === AU)
    await xero.disconnect(au.id)
    expect(emu.control.connections().map((c) => c.tenantId)).toEqual([UK])
  })
})
