import type { Clock } from '../common/clock.ts'
import type { CompanySeed } from './company/seed.ts'
import type { RotationPolicy } from './oauth/grants.ts'

/** An app registered on the emulated developer portal (keys tab: client id, secret, redirect URIs). */
export interface QboClientApp {
  clientId: string
  clientSecret: string
  redirectUris: string[]
  /** Where "My Apps → Disconnect" in QuickBooks sends the browser, with ?realmId= (E-Q3). */
  disconnectUrl?: string
}

/** An Intuit identity that can sign in on the consent page (userinfo, id_token `sub`). */
export interface QboUser {
  sub: string
  email: string
  emailVerified: boolean
  givenName: string
  familyName: string
  phoneNumber?: string
}

export interface QboWebhookConfig {
  url: string
  /** The Verifier Token from the developer portal: the HMAC key, not the client secret (2.8). */
  verifierToken: string
  format?: 'cloudevents' | 'legacy'
  /** Production aggregates events over 1-5 minutes; sandbox is near real time (default 0). */
  aggregateMs?: number
}

export interface QuickBooksEmulatorOptions {
  port?: number
  hostname?: string
  clock?: Clock
  /** Time scale when no clock is given (60 plays an hour in a minute). */
  scale?: number
  clients?: QboClientApp[]
  companies?: Partial<CompanySeed>[]
  users?: QboUser[]
  limits?: Partial<{ perMinute: number; concurrent: number; batchPerMinute: number; batchItems: number }>
  refreshRotation?: Partial<RotationPolicy>
  webhooks?: QboWebhookConfig
  /** Moves OAuth endpoints, and the discovery document with them (QB-P06). */
  paths?: Partial<Record<'authorize' | 'token' | 'revoke' | 'userinfo' | 'jwks', string>>
}

export const DEFAULT_CLIENT: QboClientApp = {
  clientId: 'ABqbo-emulator-client',
  clientSecret: 'qbo-secret-EMUCANARY-demo',
  redirectUris: [
    'http://localhost:3000/oauth/quickbooks/callback',
    'http://127.0.0.1:3000/oauth/quickbooks/callback',
  ],
}

export const DEFAULT_COMPANY: CompanySeed = {
  realmId: '9341452790171010',
  name: 'Larkspur Landscaping LLC',
  adminName: 'Casey Morgan',
  adminEmail: 'casey@larkspur.example',
  multicurrency: false,
}

export const DEFAULT_USER: QboUser = {
  sub: '3b3a2f55-8c2e-4b1e-9d4a-6d1f0c5e7a01',
  email: 'casey@larkspur.example',
  emailVerified: true,
  givenName: 'Casey',
  familyName: 'Morgan',
}

/** Intuit accepts only https redirect URIs, except localhost in development (2.1). */
export function assertRedirectUris(client: QboClientApp) {
  for (const uri of client.redirectUris) {
    const u = new URL(uri)
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)
    if (u.protocol !== 'https:' && !local) throw new Error(`redirect URI must be https: ${uri}`)
  }
}
