import { DEMO_CLIENT, startXeroEmulator, type XeroEmulator } from './xero/index.ts'
import {
  DEFAULT_CLIENT as QBO_CLIENT,
  startQuickBooksEmulator,
  type QuickBooksEmulator,
} from './quickbooks/index.ts'
import { DEFAULT_SAGE_CLIENT, startSageEmulator, type SageEmulator } from './sage/index.ts'
import { BOOKS_PATH } from './common/html.ts'
import { CANARY } from './common/canary.ts'

export type EmulatedProvider = 'xero' | 'quickbooks' | 'sage'

interface Handles {
  xero: XeroEmulator
  quickbooks: QuickBooksEmulator
  sage: SageEmulator
}
interface Client {
  clientId: string
  clientSecret?: string | undefined
  redirectUris: string[]
}
/** The demo app's webhook: the key it is signed with, the variable that gives LedgerLink the key, how to point it. */
interface Webhook<H> {
  key: string
  variable: string
  /** Subscribes `url`, delivering as events happen; answers whether the subscription is live. */
  subscribe(handle: H, url: string, key: string): Promise<boolean>
}

/**
 * Each emulator as data: its demo app registration, how to start it, and the variables that point
 * LedgerLink at it (the same ones a real deployment sets for the real provider).
 */
const EMULATORS: {
  [P in EmulatedProvider]: {
    client: Client
    start(port: number, client: Client, scale: number): Promise<Handles[P]>
    env(url: string): Record<string, string>
    webhook?: Webhook<Handles[P]>
  }
} = {
  xero: {
    client: DEMO_CLIENT,
    start: (port, client, scale) =>
      startXeroEmulator({ port, clients: [client], webhookAutoDeliver: true, scale }),
    env: (url) => ({
      XERO_AUTHORIZE_URL: `${url}/identity/connect/authorize`,
      XERO_IDENTITY_URL: url,
      XERO_API_URL: url,
      XERO_APP_URL: url,
    }),
    webhook: {
      key: `xero-webhook-key-${CANARY}-demo`,
      variable: 'XERO_WEBHOOK_KEY',
      // Events flow only once the receiver has passed the Intent to Receive (PROVIDERS 1.11).
      async subscribe(xero, url, key) {
        xero.control.webhooks.subscribe({ url, key })
        return (await xero.control.webhooks.intentToReceive()).passed
      },
    },
  },
  quickbooks: {
    client: QBO_CLIENT,
    start: (port, client, scale) =>
      startQuickBooksEmulator({ port, clients: [{ ...client, clientSecret: client.clientSecret! }], scale }),
    env: (url) => ({
      QUICKBOOKS_AUTHORIZE_URL: `${url}/connect/oauth2`,
      QUICKBOOKS_TOKEN_URL: `${url}/oauth2/v1/tokens/bearer`,
      QUICKBOOKS_REVOKE_URL: `${url}/v2/oauth2/tokens/revoke`,
      QUICKBOOKS_API_URL: url,
      QUICKBOOKS_APP_URL: url,
    }),
    webhook: {
      key: `qbo-webhook-verifier-${CANARY}-demo`,
      variable: 'QUICKBOOKS_WEBHOOK_VERIFIER',
      // CloudEvents, near real time as in a sandbox; the emulator sends what is due every 100 ms.
      subscribe: (quickbooks, url, verifierToken) => {
        quickbooks.control.webhooks.configure({ url, verifierToken, format: 'cloudevents' })
        return Promise.resolve(true)
      },
    },
  },
  sage: {
    client: DEFAULT_SAGE_CLIENT,
    start: (port, client, scale) =>
      startSageEmulator({ port, clients: [{ ...client, clientSecret: client.clientSecret! }], scale }),
    env: (url) => ({
      SAGE_AUTHORIZE_URL: `${url}/oauth2/auth/central?filter=apiv3.1`,
      SAGE_TOKEN_URL: `${url}/token`,
      SAGE_REVOKE_URL: `${url}/revoke`,
      SAGE_API_URL: `${url}/v3.1`,
    }),
  },
}
const ORDER: EmulatedProvider[] = ['xero', 'quickbooks', 'sage']

/**
 * Starts the emulators of the providers asked for (all three by default) with the demo app
 * registrations, accepting `redirectUris` as registered redirect URIs. `env` holds the variables
 * that point LedgerLink at them (client credentials, URLs and webhook keys), as a real deployment's would;
 * `books` each one's page listing what its organisations hold, where synced records' links open. With
 * `scale`, their clocks run that many times faster and `env` sets RATE_LIMIT_TIME_SCALE to match.
 */
export async function startAllEmulators(options: {
  redirectUris: string[]
  providers?: readonly EmulatedProvider[]
  portBase?: number | undefined
  scale?: number
}) {
  const scale = options.scale ?? 1
  const urls: Partial<Record<EmulatedProvider, string>> = {}
  const books: Partial<Record<EmulatedProvider, string>> = {}
  const env: Record<string, string> = scale === 1 ? {} : { RATE_LIMIT_TIME_SCALE: String(1 / scale) }
  const handles: Partial<Handles> = {}
  for (const [offset, id] of ORDER.entries()) {
    if (options.providers && !options.providers.includes(id)) continue
    const spec = EMULATORS[id]
    const client = { ...spec.client, redirectUris: [...spec.client.redirectUris, ...options.redirectUris] }
    const emulator = await spec.start(options.portBase ? options.portBase + offset : 0, client, scale)
    ;(handles as Record<EmulatedProvider, unknown>)[id] = emulator
    urls[id] = emulator.url
    books[id] = `${emulator.url}${BOOKS_PATH}`
    const prefix = id.toUpperCase()
    Object.assign(env, spec.env(emulator.url), {
      [`${prefix}_CLIENT_ID`]: client.clientId,
      [`${prefix}_CLIENT_SECRET`]: client.clientSecret!,
      ...(spec.webhook ? { [spec.webhook.variable]: spec.webhook.key } : {}),
    })
  }
  const close = async () => void (await Promise.all(Object.values(handles).map((h) => h.close())))
  /**
   * Points each started emulator's webhooks at the LedgerLink server at `baseUrl` (its
   * /v1/webhooks/<provider> receivers), signed with the key `env` gave it; call once it listens.
   * Answers, per provider, whether the subscription is live (Xero's needs the handshake passed).
   */
  async function subscribeWebhooks(baseUrl: string) {
    const live: Partial<Record<EmulatedProvider, boolean>> = {}
    for (const id of ORDER) {
      const { webhook } = EMULATORS[id] as { webhook?: Webhook<Handles[typeof id]> }
      const handle = handles[id]
      if (!webhook || !handle) continue
      live[id] = await webhook.subscribe(
        handle,
        `${baseUrl.replace(/\/$/, '')}/v1/webhooks/${id}`,
        webhook.key,
      )
    }
    return live
  }
  return { urls, books, env, handles, close, subscribeWebhooks }
}
