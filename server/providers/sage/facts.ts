import { PROVIDERS } from '../../../shared/providers.ts'
import type { ProviderFacts } from '../provider.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/** Sage Business Cloud Accounting v3.1 OAuth facts (PROVIDERS.md 3.1, 3.4; CERTIFICATION SG-04). */
export const SAGE_FACTS: ProviderFacts = {
  name: PROVIDERS.sage.name,
  scopes: ['full_access'],
  // Single use: the old refresh token dies the moment a new one is issued.
  refreshRotates: true,
  refreshGraceMs: 0,
  idleRefreshExpiryMs: 31 * DAY,
  // Access tokens live 5 minutes: one minute of margin is a fifth of their life.
  refreshEarlyMs: 1 * MINUTE,
  hardExpiryWarningMs: null,
  // Undocumented for v3.1: design for 100 a minute per business and 2,500 a day (PROVIDERS 3.4).
  limits: { perMinute: 100, concurrent: 4, perDay: 2500, batchesPerMinute: null, batchItemsMetered: false },
  batchSize: 1,
  // No idempotency key: a lookup before each create is the only guard (PROVIDERS 3.4).
  idempotency: { via: 'none', name: null, maxLength: null },
  webhooks: false,
}

export const SAGE_WIRE = {
  // Sage documents no request-id header for v3.1.
  correlationHeader: null,
  // Sage's 429 names no Retry-After; its limits are counted per minute (PROVIDERS 3.4).
  defaultRetryAfterMs: MINUTE,
} as const

/**
 * Links that open a record in Sage's web app come from Sage itself: every v3.1 record answers
 * `links`, and "there is a link to the invoice's representation in the Accounting web UI" among
 * them, `{ "href": "https://accounting.na.sageone.com/invoicing/sales_invoices/<id>", "rel":
 * "alternate", "type": "text/html" }` (Sage's Accounting guide to sales invoicing, "Understanding
 * Invoice Representations", https://developer.sage.com/accounting/guides/; the v3.1 swagger's
 * `links: [Link]`, "Links for the resource", on SalesInvoice, SalesCreditNote and Contact). The
 * host differs by region (accounts-extra.sageone.com for the UK and Ireland, accounting.na.sageone.com
 * for North America) and a contact's page uses another id than the API's, so the adapter takes the
 * link Sage gives rather than building one, and needs no web app URL of its own. Payments carry none.
 */
export const SAGE_APP = { rel: 'alternate', type: 'text/html' } as const
