/**
 * Sage Business Cloud Accounting v3.1 facts the emulator enforces, each from PROVIDERS.md section 3
 * (and the Sage authentication guide it cites). Data, so a test reads the same number the server uses.
 */
export const SAGE_FACTS = {
  /** "the authorization code obtained above is for single-use only and expires after 60 seconds" */
  authorizationCodeTtlMs: 60_000,
  /** Token response `expires_in: 300` */
  accessTokenTtlSeconds: 300,
  /** Token response `refresh_token_expires_in: 2678400` (31 days); each refresh issues a new one. */
  refreshTokenTtlSeconds: 2_678_400,
  scopes: ['full_access', 'readonly'],
  /** `country` values the authorize endpoint accepts; the callback echoes them upper-cased. */
  countries: ['ca', 'de', 'es', 'fr', 'gb', 'ie', 'us'],
  paging: { defaultItemsPerPage: 20, maxItemsPerPage: 200 },
  /**
   * Not documented for v3.1 (PROVIDERS.md 3.4). The conservative figures third parties quote for
   * v3.1: 100 calls a minute and 2,500 a day per business. Configurable.
   */
  throttle: { perMinute: 100, perDay: 2_500 },
  /** Paths as the real hosts serve them, so only the origin changes when pointing at the emulator. */
  paths: {
    authorize: '/oauth2/auth/central', // https://www.sageone.com
    token: '/token', // https://oauth.accounting.sage.com
    revoke: '/revoke', // https://oauth.accounting.sage.com
    api: '/v3.1', // https://api.accounting.sage.com
    control: '/__control',
  },
} as const
