import { PROVIDERS } from '../../../shared/providers.ts'
import type { ProviderFacts } from '../provider.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/** QuickBooks Online OAuth facts (PROVIDERS.md 2.1-2.3; CERTIFICATION QB-P03, QB-P04, 2.10). */
export const QUICKBOOKS_FACTS: ProviderFacts = {
  name: PROVIDERS.quickbooks.name,
  scopes: ['com.intuit.quickbooks.accounting'],
  // The value changes "from time to time" (about daily) and the latest must always be stored.
  refreshRotates: true,
  // Intuit documents no reuse window for a replaced value: assume none.
  refreshGraceMs: 0,
  idleRefreshExpiryMs: 100 * DAY,
  refreshEarlyMs: 5 * MINUTE,
  // The 5-year cap (Nov 2025 policy): a month leaves time for the user to reconnect calmly.
  hardExpiryWarningMs: 30 * DAY,
  // Per realm (PROVIDERS 2.4): 500 a minute (batch items included), 10 in flight, 40 batches a minute.
  limits: { perMinute: 500, concurrent: 10, perDay: null, batchesPerMinute: 40, batchItemsMetered: true },
  batchSize: 30,
  // 50 characters; 36 inside a batch (PROVIDERS 2.5).
  idempotency: { via: 'query', name: 'requestid', maxLength: 36 },
  webhooks: true,
  // My Apps → Disconnect sends the browser there with the company's realmId (CERTIFICATION E-Q3, QB-4.0).
  disconnectUrl: { query: 'realmId', pattern: /^\d{1,32}$/, organisation: 'company' },
}

export const QUICKBOOKS_WIRE = {
  correlationHeader: 'intuit_tid',
  // QBO's 429 names no Retry-After; its limit is 500 a minute per realm (PROVIDERS 2.4).
  defaultRetryAfterMs: MINUTE,
  minorVersion: 75,
  /** Change Data Capture reaches back 30 days and answers at most 1,000 objects a response (PROVIDERS 2.9). */
  cdc: { lookbackMs: 30 * DAY, maxObjects: 1000 },
} as const

/**
 * Links that open a record in the QuickBooks Online web app (QUICKBOOKS_APP_URL:
 * https://app.qbo.intuit.com, or https://app.sandbox.qbo.intuit.com for sandbox companies).
 * Intuit documents no deep-link format: these are the web app's own addresses, the ones it shows
 * in the address bar, and the ones integrations link to [3rd] (e.g. many public repositories):
 * `/app/invoice?txnId=<Id>`, `/app/creditmemo?txnId=<Id>`, `/app/customerdetail?nameId=<Id>`,
 * with the entity's API Id. They name no company (realm): the record opens in the company the
 * user has open, so a user with several companies may have to switch first.
 */
export const QUICKBOOKS_APP = {
  /** Each record's path is this prefix followed by its Id. */
  paths: {
    invoice: '/app/invoice?txnId=',
    creditNote: '/app/creditmemo?txnId=',
    contact: '/app/customerdetail?nameId=',
  },
} as const
