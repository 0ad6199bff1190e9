import { createRequire } from 'node:module'
import path from 'node:path'
import type * as XeroNode from 'xero-node'
import type { XeroClient as XeroClientType } from 'xero-node'
import { DEMO_CLIENT } from './index.ts'

/**
 * Points an unmodified xero-node at the emulator by configuration only (PROVIDERS 5.1): an
 * openid-client built from the emulator's discovery document, and the API base path.
 */
const require = createRequire(import.meta.url)
const xeroDir = path.dirname(require.resolve('xero-node/package.json'))
const { XeroClient } = require('xero-node') as typeof XeroNode

interface OpenIdModule {
  Issuer: { discover(url: string): Promise<{ Client: new (meta: Record<string, unknown>) => unknown }> }
  custom: { setHttpOptionsDefaults(o: { timeout: number }): void; clock_tolerance: symbol }
}
export const openid = require(require.resolve('openid-client', { paths: [xeroDir] })) as OpenIdModule
export const sdkAxios = require(require.resolve('axios', { paths: [xeroDir] })) as {
  interceptors: { request: { use(f: (c: { url?: string }) => unknown): number; eject(id: number): void } }
}

export async function xeroClientFor(
  emulatorUrl: string,
  scopes: string[],
  state = 'state-for-sdk',
): Promise<XeroClientType> {
  const xero = new XeroClient({
    clientId: DEMO_CLIENT.clientId,
    clientSecret: DEMO_CLIENT.clientSecret!,
    redirectUris: [DEMO_CLIENT.redirectUris[0]!],
    scopes,
    state,
  })
  openid.custom.setHttpOptionsDefaults({ timeout: 3500 }) // what xero.initialize() would have done
  const issuer = await openid.Issuer.discover(emulatorUrl)
  const client = new issuer.Client({
    client_id: DEMO_CLIENT.clientId,
    client_secret: DEMO_CLIENT.clientSecret,
    redirect_uris: [DEMO_CLIENT.redirectUris[0]],
  }) as Record<symbol, unknown>
  client[openid.custom.clock_tolerance] = 5
  ;(xero as unknown as { openIdClient: unknown }).openIdClient = client
  xero.accountingApi.basePath = `${emulatorUrl}/api.xro/2.0`
  return xero
}
