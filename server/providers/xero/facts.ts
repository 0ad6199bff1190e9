import { PROVIDERS } from '../../../shared/providers.ts'
import type { ProviderFacts } from '../provider.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/** Xero's OAuth facts (PROVIDERS.md 1.2, 1.3; CERTIFICATION XR-P01..P03, XR-T01..T06). */
export const XERO_FACTS: ProviderFacts = {
  name: PROVIDERS.xero.name,
  // Granular scopes: apps created since 2 March 2026 may not ask for accounting.transactions.
  // No openid: LedgerLink does not sign users in with Xero, and without it no id_token comes back.
  scopes: [
    'offline_access',
    'accounting.contacts',
    'accounting.invoices',
    'accounting.payments',
    'accounting.settings.read',
  ],
  refreshRotates: true,
  refreshGraceMs: 30 * MINUTE,
  idleRefreshExpiryMs: 60 * DAY,
  // A 30-minute access token: five minutes covers a slow sync batch started just before expiry.
  refreshEarlyMs: 5 * MINUTE,
  hardExpiryWarningMs: null,
  // Per organisation (PROVIDERS 1.4): 60 a rolling minute, 5 in flight, 5,000 a rolling day.
  limits: { perMinute: 60, concurrent: 5, perDay: 5000, batchesPerMinute: null, batchItemsMetered: false },
  // About 50 elements per request is Xero's recommendation (PROVIDERS 1.4, 1.6).
  batchSize: 50,
  idempotency: { via: 'header', name: 'Idempotency-Key', maxLength: 128 },
  webhooks: true,
}

/** Wire facts the adapter needs beyond the interface's. */
export const XERO_WIRE = {
  correlationHeader: 'xero-correlation-id',
  // Xero always names Retry-After on a 429 (PROVIDERS 1.4); no fallback is invented.
  defaultRetryAfterMs: null,
  /** Paths under the configured identity and API hosts (PROVIDERS 1.1). */
  paths: {
    token: '/connect/token',
    revocation: '/connect/revocation',
    jwks: '/.well-known/openid-configuration/jwks',
    connections: '/connections',
    accounting: '/api.xro/2.0',
  },
} as const

/**
 * Links that open a record in Xero's web app (XERO_APP_URL, https://go.xero.com), from Xero's
 * "Deep link to Xero" guide, https://developer.xero.com/documentation/api-guides/deep-link-xero:
 * - `/organisationlogin/default.aspx?shortcode=<ShortCode>&redirecturl=<path>` opens <path> in the
 *   organisation of that short code, whichever one the user last had open; the ShortCode is the
 *   Organisation endpoint's (GET /api.xro/2.0/Organisation). The guide writes redirecturl unencoded.
 *   Used where the organisation's metadata carries its ShortCode (connections.ts).
 * - <path> alone (go.xero.com + the same path) opens it in the organisation the user has open: what
 *   links are until a ShortCode is kept with the connection.
 * - Paths, as the guide's examples give them: an invoice `/AccountsReceivable/View.aspx?InvoiceID=`,
 *   a credit note `/AccountsPayable/ViewCreditNote.aspx?creditNoteID=` (its one credit-note form,
 *   for sales credit notes too), a contact `/Contacts/View/<id>` (the "new UI view" it recommends).
 * - Payments: the guide lists them but gives no example path, so payments carry no link.
 */
export const XERO_APP = {
  organisationLogin: '/organisationlogin/default.aspx',
  /** Each record's path is this prefix followed by its id. */
  paths: {
    invoice: '/AccountsReceivable/View.aspx?InvoiceID=',
    creditNote: '/AccountsPayable/ViewCreditNote.aspx?creditNoteID=',
    contact: '/Contacts/View/',
  },
} as const
