/**
 * QuickBooks Online facts the emulator enforces, as data. Each cites ../shared/PROVIDERS.md (section 2)
 * or CERTIFICATION.md (E-Q1..E-Q9); the code reads these values and never repeats the numbers.
 */
export const QBO = {
  /** The SDK hard-codes this issuer in validateIdToken(), so the emulator mints id_tokens with it (5.2 pitfall 2). */
  issuer: 'https://oauth.platform.intuit.com/op/v1',
  paths: {
    authorize: '/connect/oauth2',
    token: '/oauth2/v1/tokens/bearer',
    revoke: '/v2/oauth2/tokens/revoke',
    userinfo: '/v1/openid_connect/userinfo',
    jwks: '/op/v1/jwks',
    discovery: '/.well-known/openid_configuration',
    discoverySandbox: '/.well-known/openid_sandbox_configuration',
    api: '/v3/company',
  },
  scopes: {
    accounting: 'com.intuit.quickbooks.accounting',
    payment: 'com.intuit.quickbooks.payment',
    openid: 'openid',
    identity: ['profile', 'email', 'phone', 'address'],
    other: ['indirect-tax.tax-calculation.quickbooks', 'project-management.project'],
  },
  tokens: {
    accessTtlMs: 3600 * 1000, // 2.2: access token 3600 s
    refreshRollingTtlMs: 100 * 86_400_000, // 2.2: 100 days, extended by every refresh
    refreshHardTtlMs: 5 * 365 * 86_400_000, // 2.2: 5-year hard maximum (Nov 2025 policy)
    /** The refresh-token value changes "from time to time"; Intuit's FAQ says every 24 hours (QB-P03). */
    refreshValueRotatesAfterMs: 86_400_000,
    authorizationCodeTtlMs: 5 * 60_000,
    idTokenTtlMs: 3600 * 1000,
  },
  limits: {
    perMinute: 500, // 2.4: 500 requests per minute per realm, batch items included
    concurrent: 10, // 2.4: 10 concurrent requests per app+realm
    batchPerMinute: 40, // 2.4: 40 batch requests per minute per realm
    batchItems: 30, // 2.4: at most 30 payloads per batch
    queryMaxResults: 1000,
    cdcMaxObjects: 1000, // 2.9
    cdcLookbackMs: 30 * 86_400_000, // 2.9: last 30 days only
    requestIdMaxLength: 50, // 2.5
    batchRequestIdMaxLength: 36,
    bIdMaxLength: 10,
    /** Intuit's Payment page: PaymentRefNum is "max 21 characters"; longer is Fault 2050. */
    paymentRefNumMaxLength: 21,
  },
  /** 2.3: minor versions 1-74 are ignored since Aug 2025; every request runs as 75. */
  minorVersion: 75,
  webhooks: {
    /** 2.8: delays before each delivery attempt; after the list, every 6 hours. */
    retryDelaysMs: [0, 10_000, 20_000, 30_000, 300_000, 1_200_000, 7_200_000, 14_400_000, 21_600_000],
    thenEveryMs: 21_600_000,
    responseTimeoutMs: 3000, // 2.8: respond 200 within 3 s
    maxEventsPerBatch: 100,
  },
} as const

/** Entities that send webhooks and their CloudEvents type segment (2.8). */
export const WEBHOOK_OPERATIONS = {
  Create: 'created',
  Update: 'updated',
  Delete: 'deleted',
  Merge: 'merged',
  Void: 'voided',
  Emailed: 'emailed',
} as const
export type WebhookOperation = keyof typeof WEBHOOK_OPERATIONS
