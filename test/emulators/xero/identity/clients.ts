import { CANARY } from '../../common/canary.ts'

/** An app registered with the emulated Xero. */
export interface OAuthClient {
  clientId: string
  /** Absent for a PKCE (native) app, which proves itself with a code_verifier instead. */
  clientSecret?: string
  /** Exact match, no wildcards (PROVIDERS 1.1). */
  redirectUris: string[]
  /** Apps created on or after 2 March 2026 may not ask for the broad scopes (PROVIDERS 1.2). */
  granularScopesOnly?: boolean
}

/** The person who signs in on the consent page and owns the demo organisations. */
export interface XeroUser {
  userId: string
  email: string
  givenName: string
  familyName: string
}

export const DEMO_CLIENT: OAuthClient = {
  clientId: 'LEDGERLINKDEMOXEROCLIENTID000001',
  clientSecret: `xero-client-secret-${CANARY}-demo`,
  redirectUris: ['http://localhost:3000/oauth/xero/callback', 'http://127.0.0.1:3000/oauth/xero/callback'],
}

export const DEMO_USER: XeroUser = {
  userId: 'a1e2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b',
  email: 'bookkeeper@ledgerlink.example',
  givenName: 'Bea',
  familyName: 'Keeper',
}

/** Client credentials from HTTP Basic, or from the form body (client_secret_post / PKCE). */
export function readClientCredentials(
  authorization: string | undefined,
  form: Record<string, string>,
): { clientId: string; clientSecret?: string } | null {
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) return null
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon)),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
    }
  }
  if (!form.client_id) return null
  return { clientId: form.client_id, ...(form.client_secret ? { clientSecret: form.client_secret } : {}) }
}
