import { AsyncLocalStorage } from 'node:async_hooks'
import type { z } from 'zod'
import type { ProviderId } from '../../shared/providers.ts'
import type { ProviderErrorKind } from './provider.ts'
import { ProviderError } from './provider.ts'

/**
 * What every adapter shares on the wire: a fetch with a deadline, and one table from an HTTP or
 * OAuth failure to a ProviderError kind. SDK errors (openid-client, xero-node's JSON strings,
 * intuit-oauth) are unpacked by each adapter into a `WireFailure` and classified here, so the
 * three adapters cannot drift apart on what a 429 or an invalid_grant means.
 */
export interface ProviderHttp {
  provider: ProviderId
  fetch: typeof fetch
  timeoutMs: number
  now(): number
  /** The response header carrying the provider's request id, kept with every error for support. */
  correlationHeader: string | null
  /** Wait after a 429 that names no Retry-After (the provider's rate-limit window), or null. */
  defaultRetryAfterMs: number | null
}

export const DEFAULT_TIMEOUT_MS = 10_000

export interface HttpOptions {
  fetch?: typeof fetch
  now?: () => number
  timeoutMs?: number
}

export function createProviderHttp(
  provider: ProviderId,
  options: HttpOptions,
  wire: { correlationHeader: string | null; defaultRetryAfterMs: number | null },
): ProviderHttp {
  return {
    provider,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    now: options.now ?? Date.now,
    ...wire,
  }
}

/** A failed exchange with the provider, whatever client made it. */
export interface WireFailure {
  /** HTTP status, or null when no answer arrived (network error, timeout). */
  status: number | null
  header(name: string): string | null
  /** The OAuth `error` code of a token-endpoint answer. */
  oauthError?: string | undefined
  message: string
  cause?: unknown
  /** The adapter's reading of a provider-specific answer; wins over the status table. */
  kind?: ProviderErrorKind
}

/** The status table of STYLE.md "Errors"; 401/403 meanings a provider refines itself. */
export function kindForStatus(status: number | null): ProviderErrorKind {
  if (status === null || status >= 500) return 'transient'
  if (status === 429) return 'rate_limited'
  if (status === 401) return 'auth'
  if (status === 403) return 'revoked'
  if (status === 404) return 'not_found'
  if (status === 409) return 'conflict'
  if (status === 423) return 'locked'
  return 'validation'
}

/**
 * Token endpoint answers: invalid_grant ends the grant (reconnect). invalid_client and the like are
 * our own registration or configuration being wrong, which a reconnect cannot fix, so they are
 * 'validation' (shown with the provider's reason) rather than 'auth'.
 */
function kindForOAuthError(error: string, status: number | null): ProviderErrorKind {
  if (error === 'invalid_grant') return 'auth'
  if (status !== null && (status >= 500 || status === 429)) return kindForStatus(status)
  return 'validation'
}

/** Retry-After as seconds or an HTTP date, in ms from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

/** Only a well-formed OAuth code counts: SDKs also put status texts ("Service Unavailable") there. */
const OAUTH_CODE = /^[a-z_]+$/

export function toProviderError(http: ProviderHttp, failure: WireFailure): ProviderError {
  const oauthError = failure.oauthError && OAUTH_CODE.test(failure.oauthError) ? failure.oauthError : null
  const kind =
    failure.kind ??
    (oauthError ? kindForOAuthError(oauthError, failure.status) : kindForStatus(failure.status))
  const retryAfterMs =
    kind === 'rate_limited'
      ? (parseRetryAfter(failure.header('retry-after'), http.now()) ?? http.defaultRetryAfterMs)
      : null
  return new ProviderError(http.provider, kind, failure.message, {
    status: failure.status,
    correlationId: http.correlationHeader ? failure.header(http.correlationHeader) : null,
    retryAfterMs,
    cause: failure.cause,
  })
}

/**
 * What one request counts against a provider's limits: `cost` calls (a QuickBooks batch meters each
 * of its items as a call) and whether it is a batch request (QuickBooks caps those a minute too).
 */
export interface RequestCost {
  cost: number
  batch: boolean
}
const ONE_CALL: RequestCost = { cost: 1, batch: false }

const meters = new AsyncLocalStorage<(request: RequestCost) => Promise<void>>()

/**
 * Runs `work` (one adapter operation) with `meter` awaited before each request it sends, so a
 * caller that keeps a provider's rate limits counts every request of an operation that makes several
 * (a contact search by reference, then email, then name; a lookup in pages), not just one, at what
 * each request says it costs.
 */
export const withRequestMeter = <T>(
  meter: (request: RequestCost) => Promise<void>,
  work: () => Promise<T>,
): Promise<T> => meters.run(meter, work)

/** One call with a deadline; no answer at all becomes ProviderError('transient'). */
export async function send(
  http: ProviderHttp,
  url: string | URL,
  init: RequestInit = {},
  cost: RequestCost = ONE_CALL,
): Promise<Response> {
  await meters.getStore()?.(cost)
  try {
    return await http.fetch(url, { ...init, signal: AbortSignal.timeout(http.timeoutMs) })
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError'
    const message = timedOut ? `no answer within ${http.timeoutMs} ms` : `network error: ${String(cause)}`
    throw toProviderError(http, { status: null, header: () => null, message, cause })
  }
}

/** A non-2xx answer as a ProviderError; `describe` reads the provider's error body for the message. */
export async function failed(
  http: ProviderHttp,
  res: Response,
  describe: (body: unknown) => Partial<Pick<WireFailure, 'message' | 'oauthError' | 'kind'>> = () => ({}),
): Promise<ProviderError> {
  const text = await res.text().catch(() => '')
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    // A gateway's plain-text page: kept as text for the message.
  }
  const read = describe(body)
  return toProviderError(http, {
    status: res.status,
    header: (name) => res.headers.get(name),
    message: read.message ?? (`${res.status} ${text.slice(0, 200)}`.trim() || `HTTP ${res.status}`),
    ...(read.oauthError ? { oauthError: read.oauthError } : {}),
    ...(read.kind ? { kind: read.kind } : {}),
  })
}

/** Parses an answer body; a shape we do not understand is the provider's change, reported as 'validation'. */
export function parseBody<T>(
  http: ProviderHttp,
  body: unknown,
  schema: z.ZodType<T>,
  status: number | null = null,
): T {
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  throw toProviderError(http, {
    status,
    header: () => null,
    message: `unexpected answer from ${http.provider}: ${parsed.error.message.slice(0, 300)}`,
    kind: 'validation',
    cause: parsed.error,
  })
}

export async function readJson<T>(http: ProviderHttp, res: Response, schema: z.ZodType<T>): Promise<T> {
  return parseBody(http, await res.json().catch(() => undefined), schema, res.status)
}

/** Seconds from now as an absolute time. */
export const inMs = (http: ProviderHttp, seconds: number) => http.now() + seconds * 1000
