import type { ProviderId } from '../../shared/providers.ts'
import type { ProviderSync } from './sync-contract.ts'

/**
 * One accounting provider behind one interface. Adapters are stateless: they hold no database
 * handle and never refresh on their own; the connections service hands them a fresh access token.
 * Provider facts (lifetimes, rotation, scopes) are data here, never `if (provider === 'xero')`
 * in generic code. This is the OAuth and organisation part; the sync work adds contacts,
 * invoices, payments and the chart of accounts.
 */

/** Tokens as the provider issued them, with expiries turned into absolute times (ms). */
export interface TokenSet {
  accessToken: string
  refreshToken: string
  /** When the access token stops working. */
  expiresAt: number
  /** When the refresh token dies if unused (rolling), when the provider says. */
  refreshExpiresAt: number | null
  /** When the grant can no longer be refreshed at all (QuickBooks' 5-year cap), when known. */
  hardExpiresAt: number | null
  scope: string | null
}

/**
 * What only one provider needs about a grant or an organisation, JSON-safe. Generic code stores it
 * and hands it back untouched; only the adapter that wrote it reads it (and checks its shape), the
 * way Nango keeps a per-provider `connection_config`.
 *
 * @example { connectionId: '7d3c9a1e-…' } // a Xero organisation: the connection to DELETE on disconnect
 */
export type ProviderMeta = Readonly<Record<string, string | number | boolean | null>>

/** What the callback or the token answer says about the grant, needed to find its organisations. */
export interface GrantContext {
  /** The adapter's own (Xero: the consent's `authentication_event_id`; QuickBooks: the chosen realm). */
  meta?: ProviderMeta
}

export interface ProviderOrganisation {
  id: string
  name: string
  /** The adapter's own, kept with the connection (Xero: the connection id to DELETE on disconnect). */
  meta?: ProviderMeta
}

export interface ProviderFacts {
  name: string
  scopes: readonly string[]
  /** Each refresh returns a new refresh token that must replace the old one. */
  refreshRotates: boolean
  /** How long a used refresh token still works (Xero 30 min; Sage 0). */
  refreshGraceMs: number
  /** A refresh token unused this long dies (Xero 60 days, Sage 31, QuickBooks 100): keep idle grants alive. */
  idleRefreshExpiryMs: number
  /** Refresh an access token this long before it expires. */
  refreshEarlyMs: number
  /** Warn the user this long before the grant's hard expiry, where there is one. */
  hardExpiryWarningMs: number | null
  /** What the provider allows per organisation; the engine stays under it before any 429. */
  limits: RateLimits
  /** Most records one write request may carry (1: no batch endpoint). */
  batchSize: number
  /** How a write is made replay-safe: a header, a query parameter, or only by looking up first. */
  idempotency: { via: 'header' | 'query' | 'none'; name: string | null; maxLength: number | null }
  /** Whether the provider sends webhooks the sync can rely on (else polling is the only feed). */
  webhooks: boolean
  /**
   * Where the provider sends the browser of a user who removed the app on its side (QuickBooks'
   * Disconnect URL), when it has such a page: `/v1/oauth/<provider>/disconnected?<query>=<id>`.
   *
   * @example { query: 'realmId', pattern: /^\d{1,32}$/, organisation: 'company' } // QuickBooks
   */
  disconnectUrl?: {
    /** The query parameter naming the organisation. */
    query: string
    /** What its value must look like; anything else answers 400. */
    pattern: RegExp
    /** The provider's word for an organisation, in the page's text. */
    organisation: string
  }
}

/**
 * Rate limits of one organisation, as sliding windows plus calls in flight. `batchesPerMinute`
 * counts batch requests separately where the provider meters them (QuickBooks).
 *
 * @example { perMinute: 60, concurrent: 5, perDay: 5000, batchesPerMinute: null, batchItemsMetered: false } // Xero
 */
export interface RateLimits {
  perMinute: number
  concurrent: number
  perDay: number | null
  batchesPerMinute: number | null
  /** Whether each record of a batch request counts against `perMinute` (QuickBooks) or the request once (Xero). */
  batchItemsMetered: boolean
}

export interface ProviderAdapter {
  readonly id: ProviderId
  readonly facts: ProviderFacts
  /** Contacts, invoices and the chart (server/providers/sync-contract.ts); being built provider by provider. */
  sync?: ProviderSync
  oauth: {
    /** The consent page URL, with state and a PKCE S256 challenge. */
    authorizeUrl(p: { state: string; codeChallenge: string; redirectUri: string }): URL
    /** Exchanges the code from the callback (all of its query parameters) for tokens. */
    exchange(p: {
      code: string
      codeVerifier: string
      redirectUri: string
      callback: URLSearchParams
    }): Promise<{ tokens: TokenSet; grant: GrantContext }>
    refresh(refreshToken: string): Promise<TokenSet>
    /** Ends the grant at the provider. */
    revoke(tokens: Pick<TokenSet, 'accessToken' | 'refreshToken'>): Promise<void>
  }
  organisations: {
    /** The organisations this grant covers (Xero: those of this consent only, by its grant meta). */
    list(accessToken: string, grant: GrantContext): Promise<ProviderOrganisation[]>
    /** Removes the app's access to one organisation, where the provider has such a call (Xero). */
    disconnect?(accessToken: string, organisation: ProviderOrganisation): Promise<void>
    /** A cheap authenticated read; throws ProviderError('revoked' | 'auth') when access is gone. */
    check(accessToken: string, organisation: ProviderOrganisation): Promise<void>
  }
}

export type ProviderErrorKind =
  | 'auth' // the grant no longer refreshes (invalid_grant) or the token is bad
  | 'revoked' // the user removed the app or this organisation on the provider's side
  | 'rate_limited'
  | 'transient' // 5xx, network, timeout
  | 'validation'
  | 'not_found'
  | 'locked'
  | 'conflict'

/** What every adapter throws: the engine alone decides whether to retry. */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind
  readonly provider: ProviderId
  readonly status: number | null
  /** Xero-Correlation-Id, intuit_tid, …: for the provider's support. */
  readonly correlationId: string | null
  readonly retryAfterMs: number | null

  constructor(
    provider: ProviderId,
    kind: ProviderErrorKind,
    message: string,
    options: {
      status?: number | null
      correlationId?: string | null
      retryAfterMs?: number | null
      cause?: unknown
    } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'ProviderError'
    this.provider = provider
    this.kind = kind
    this.status = options.status ?? null
    this.correlationId = options.correlationId ?? null
    this.retryAfterMs = options.retryAfterMs ?? null
  }
}
