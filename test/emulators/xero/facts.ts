/**
 * Xero's documented behaviour as data (PROVIDERS.md section 1, CERTIFICATION.md E-X1..E-X12).
 * Durations are milliseconds on the emulator's clock.
 */
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

export const XERO_FACTS = {
  /** Authorization codes are single-use and live 5 minutes (E-X1). */
  codeLifetimeMs: 5 * MINUTE,
  /** `expires_in: 1800` (PROVIDERS 1.3). */
  accessTokenLifetimeMs: 30 * MINUTE,
  /** id_token lifetime (E-X11). */
  idTokenLifetimeMs: 5 * MINUTE,
  /** A used refresh token keeps working this long, in case the response was lost (PROVIDERS 1.3). */
  refreshGraceMs: 30 * MINUTE,
  /** An unused refresh token dies after 60 days (PROVIDERS 1.3, current FAQ). */
  refreshIdleLifetimeMs: 60 * DAY,
  /** Rate limits per tenant and per app (PROVIDERS 1.4). */
  limits: { perMinute: 60, perDay: 5_000, concurrent: 5, appPerMinute: 10_000 },
  /** Idempotency-Key: 128 characters at most, answers replayed for 6 minutes (PROVIDERS 1.5). */
  idempotency: { maxKeyLength: 128, ttlMs: 6 * MINUTE },
  /** Paging: 100 per page by default, 1,000 at most (PROVIDERS 1.9). */
  paging: { defaultPageSize: 100, maxPageSize: 1000 },
  /** Webhook receivers must answer within 5 s; Xero retries for up to 24 h, then disables (PROVIDERS 1.11). */
  webhooks: {
    responseTimeoutMs: 5_000,
    giveUpAfterMs: DAY,
    categories: ['INVOICE', 'CONTACT', 'CREDITNOTE'],
  },
  /** Request size per POST to the Accounting API (PROVIDERS 1.4). */
  maxBodyBytes: 3.5 * 1024 * 1024,
} as const

export const IDENTITY_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const

/** Broad scopes from the spec, which apps created on or after 2 March 2026 may no longer ask for. */
export const RETIRED_BROAD_SCOPES = [
  'accounting.transactions',
  'accounting.transactions.read',
  'accounting.reports.read',
]

export const ACCOUNTING_SCOPES = [
  'accounting.transactions',
  'accounting.transactions.read',
  'accounting.contacts',
  'accounting.contacts.read',
  'accounting.settings',
  'accounting.settings.read',
  'accounting.attachments',
  'accounting.attachments.read',
  'accounting.reports.read',
  'accounting.journals.read',
  'accounting.budgets.read',
  'accounting.invoices',
  'accounting.invoices.read',
  'accounting.payments',
  'accounting.payments.read',
  'accounting.banktransactions',
  'accounting.banktransactions.read',
  'accounting.manualjournals',
  'accounting.manualjournals.read',
  'paymentservices',
]

/**
 * Granular scopes that stand in for the spec's broad `accounting.transactions` per resource
 * (PROVIDERS 1.2, after Apideck's mapping); the spec itself predates them.
 */
export const GRANULAR_SCOPES_BY_RESOURCE: Record<string, { write: string; read: string }> = {
  Invoices: { write: 'accounting.invoices', read: 'accounting.invoices.read' },
  CreditNotes: { write: 'accounting.invoices', read: 'accounting.invoices.read' },
  Items: { write: 'accounting.invoices', read: 'accounting.invoices.read' },
  Payments: { write: 'accounting.payments', read: 'accounting.payments.read' },
  BankTransactions: { write: 'accounting.banktransactions', read: 'accounting.banktransactions.read' },
  ManualJournals: { write: 'accounting.manualjournals', read: 'accounting.manualjournals.read' },
}
