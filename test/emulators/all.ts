import { DEMO_CLIENT, startXeroEmulator, type XeroEmulator } from './xero/index.ts'
import {
  DEFAULT_CLIENT as QBO_CLIENT,
  startQuickBooksEmulator,
  type QuickBooksEmulator,
} from './quickbooks/index.ts'
import { DEFAULT_SAGE_CLIENT, startSageEmulator, type SageEmulator } from './sage/index.ts'

export type EmulatedProvider = 'xero' | 'quickbooks' | 'sage'

/**
 * Starts the emulators of the providers asked for (all three by default) with the demo app
 * registrations, accepting `redirectUris` as registered redirect URIs. `env` holds the variables
 * that point LedgerLink at them (client credentials and URLs), as a real deployment's would.
 */
export async function startAllEmulators(options: {
  redirectUris: string[]
  providers?: readonly EmulatedProvider[]
  portBase?: number | undefined
}) {
  const want = new Set(options.providers ?? ['xero', 'quickbooks', 'sage'])
  const port = (offset: number) => (options.portBase ? options.portBase + offset : 0)
  const withRedirects = <T extends { redirectUris: string[] }>(client: T): T => ({
    ...client,
    redirectUris: [...client.redirectUris, ...options.redirectUris],
  })
  const urls: Partial<Record<EmulatedProvider, string>> = {}
  const env: Record<string, string> = {}
  const closers: (() => Promise<void>)[] = []
  const handles: { xero?: XeroEmulator; quickbooks?: QuickBooksEmulator; sage?: SageEmulator } = {}

  if (want.has('xero')) {
    const client = withRedirects(DEMO_CLIENT)
    const xero = await startXeroEmulator({ port: port(0), clients: [client], webhookAutoDeliver: true })
    closers.push(() => xero.close())
    handles.xero = xero
    urls.xero = xero.url
    Object.assign(env, {
      XERO_CLIENT_ID: client.clientId,
      XERO_CLIENT_SECRET: client.clientSecret,
      XERO_AUTHORIZE_URL: `${xero.url}/identity/connect/authorize`,
      XERO_IDENTITY_URL: xero.url,
      XERO_API_URL: xero.url,
    })
  }
  if (want.has('quickbooks')) {
    const client = withRedirects(QBO_CLIENT)
    const qbo = await startQuickBooksEmulator({ port: port(1), clients: [client] })
    closers.push(() => qbo.close())
    handles.quickbooks = qbo
    urls.quickbooks = qbo.url
    Object.assign(env, {
      QUICKBOOKS_CLIENT_ID: client.clientId,
      QUICKBOOKS_CLIENT_SECRET: client.clientSecret,
      QUICKBOOKS_AUTHORIZE_URL: `${qbo.url}/connect/oauth2`,
      QUICKBOOKS_TOKEN_URL: `${qbo.url}/oauth2/v1/tokens/bearer`,
      QUICKBOOKS_REVOKE_URL: `${qbo.url}/v2/oauth2/tokens/revoke`,
      QUICKBOOKS_API_URL: qbo.url,
    })
  }
  if (want.has('sage')) {
    const client = withRedirects(DEFAULT_SAGE_CLIENT)
    const sage = await startSageEmulator({ port: port(2), clients: [client] })
    closers.push(() => sage.close())
    handles.sage = sage
    urls.sage = sage.url
    Object.assign(env, {
      SAGE_CLIENT_ID: client.clientId,
      SAGE_CLIENT_SECRET: client.clientSecret,
      SAGE_AUTHORIZE_URL: `${sage.url}/oauth2/auth/central?filter=apiv3.1`,
      SAGE_TOKEN_URL: `${sage.url}/token`,
      SAGE_REVOKE_URL: `${sage.url}/revoke`,
      SAGE_API_URL: `${sage.url}/v3.1`,
    })
  }
  return { urls, env, handles, close: async () => void (await Promise.all(closers.map((c) => c()))) }
}
