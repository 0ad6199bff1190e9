import OAuthClient from 'intuit-oauth'
import { z } from 'zod'
import type { TokenSet } from '../provider.ts'
import { ProviderError } from '../provider.ts'
import type { ProviderHttp } from '../provider-http.ts'
import { inMs, parseBody, toProviderError } from '../provider-http.ts'

export interface IntuitUrls {
  authorize: string
  token: string
  revoke: string
}

/**
 * intuit-oauth keeps its endpoints and retry policy in *static* fields that every method reads
 * (PROVIDERS 5.2): they are process-global, so two configurations cannot live in one process.
 * They are written right before each operation, and the methods read them synchronously when
 * the request is built, so the value set is the value used. Built-in retries are off: the sync
 * engine owns retries, and intuit-oauth's would hide a 429 behind seven seconds of back-off.
 */
function pointIntuitAt(urls: IntuitUrls) {
  OAuthClient.authorizeEndpoint = urls.authorize
  OAuthClient.tokenEndpoint = urls.token
  OAuthClient.revokeEndpoint = urls.revoke
  OAuthClient.retryConfig = { ...OAuthClient.retryConfig, maxRetries: 0 }
}

/** A fresh client per operation: one shared client holding a token refreshes the wrong company's. */
export function intuitClient(
  options: { clientId: string; clientSecret: string; urls: IntuitUrls },
  redirectUri = '',
): OAuthClient {
  pointIntuitAt(options.urls)
  return new OAuthClient({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    environment: 'production',
    redirectUri,
    // Asks for x_refresh_token_hard_expires_in, the 5-year cap (intuit-oauth 4.2.4+).
    includeRefreshTokenHardExpiresIn: true,
    logging: false,
  })
}

const TokenResponseSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string(),
  expires_in: z.number(),
  x_refresh_token_expires_in: z.number().optional(),
  x_refresh_token_hard_expires_in: z.number().optional(),
})

export function toTokenSet(http: ProviderHttp, json: unknown): TokenSet {
  const body = parseBody(http, json, TokenResponseSchema)
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresAt: inMs(http, body.expires_in),
    refreshExpiresAt: body.x_refresh_token_expires_in ? inMs(http, body.x_refresh_token_expires_in) : null,
    hardExpiresAt: body.x_refresh_token_hard_expires_in
      ? inMs(http, body.x_refresh_token_hard_expires_in)
      : null,
    scope: null,
  }
}

/** The error intuit-oauth's createError() builds around a token or revoke failure. */
interface IntuitFailure {
  error?: string
  error_description?: string
  intuit_tid?: string
  originalMessage?: string
  authResponse?: { response?: { status?: number; headers?: Record<string, unknown> } | '' }
}

function intuitError(http: ProviderHttp, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err
  const e = (err ?? {}) as IntuitFailure
  const response = e.authResponse?.response || undefined
  const headers = response?.headers ?? {}
  const header = (name: string) => {
    if (name === 'intuit_tid' && e.intuit_tid) return e.intuit_tid
    const value = headers[name]
    return typeof value === 'string' ? value : null
  }
  // intuit-oauth keeps the response only when it had a body; for a bodiless 5xx the status
  // survives in axios's fixed message alone ("Request failed with status code 503").
  const fromMessage = /status code (\d{3})$/.exec(e.originalMessage ?? '')?.[1]
  return toProviderError(http, {
    // No status at all: reset, refused, DNS.
    status: response?.status ?? (fromMessage ? Number(fromMessage) : null),
    header,
    oauthError: e.error,
    message: [e.error || e.originalMessage || 'QuickBooks OAuth call failed', e.error_description]
      .filter(Boolean)
      .join(': '),
    cause: err,
  })
}

/**
 * Runs an intuit-oauth call with a deadline (it sends its token requests with no timeout) and
 * turns its errors into ProviderErrors. The abandoned request is left to finish on its own.
 */
export async function intuitCall<T>(http: ProviderHttp, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const running = work()
  running.catch(() => undefined) // a late failure after the deadline has nobody left to tell
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ProviderError(http.provider, 'transient', `no answer within ${http.timeoutMs} ms`)),
      http.timeoutMs,
    )
  })
  try {
    return await Promise.race([running, deadline])
  } catch (err) {
    throw intuitError(http, err)
  } finally {
    clearTimeout(timer)
  }
}
