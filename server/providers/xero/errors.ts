import { z } from 'zod'
import type { ProviderErrorKind } from '../provider.ts'
import { ProviderError } from '../provider.ts'
import type { ProviderHttp, WireFailure } from '../provider-http.ts'
import { toProviderError } from '../provider-http.ts'

/**
 * The one place Xero failures become ProviderErrors, whichever client met them: xero-node's
 * accounting API (which rejects with a JSON *string*, PROVIDERS 1.10), openid-client's OPError /
 * RPError from the identity server, our own fetch calls, and socket errors.
 */

/** 401/403 gateway body: `{"Type":null,"Title":"Forbidden","Status":403,"Detail":"AuthenticationUnsuccessful"}`. */
const ProblemSchema = z.looseObject({ Title: z.string().nullish(), Detail: z.string().nullish() })
/** 400 ValidationException ([spec] components.schemas.Error). */
const ValidationSchema = z.looseObject({
  Message: z.string(),
  Elements: z
    .array(z.looseObject({ ValidationErrors: z.array(z.object({ Message: z.string() })).optional() }))
    .optional(),
})
/** What xero-node's ApiError.generateError() serialises. */
const SdkRejectionSchema = z.object({
  response: z.object({
    statusCode: z.number(),
    body: z.unknown(),
    headers: z.record(z.string(), z.unknown()).nullish(),
  }),
})

type Headers = Record<string, unknown> | null | undefined
const headerReader = (headers: Headers) => (name: string) => {
  const value = headers?.[name.toLowerCase()]
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : null
}

/**
 * Reads a Xero error body. A 403 `AuthenticationUnsuccessful` on a tenant call means the
 * organisation was disconnected on Xero's side while the grant still refreshes (CERTIFICATION
 * XR-C07): 'revoked'. Other 403s (a missing scope) cannot be fixed by reconnecting the same way.
 */
export function describeXeroBody(
  status: number,
  body: unknown,
): { message?: string; kind?: ProviderErrorKind } {
  const problem = ProblemSchema.safeParse(body)
  if ((status === 401 || status === 403) && problem.success) {
    const message = [problem.data.Title, problem.data.Detail].filter(Boolean).join(': ')
    if (status === 403)
      return {
        message,
        kind: problem.data.Detail === 'AuthenticationUnsuccessful' ? 'revoked' : 'validation',
      }
    return { message }
  }
  const validation = ValidationSchema.safeParse(body)
  if (validation.success) {
    const details = (validation.data.Elements ?? []).flatMap((e) => e.ValidationErrors ?? [])
    return { message: [validation.data.Message, ...details.map((d) => d.Message)].join(' ') }
  }
  return typeof body === 'string' && body ? { message: `${status} ${body.slice(0, 200)}` } : {}
}

function readFailure(err: unknown): WireFailure | null {
  if (typeof err === 'string') {
    let parsed: unknown
    try {
      parsed = JSON.parse(err)
    } catch {
      return null
    }
    const rejection = SdkRejectionSchema.safeParse(parsed)
    if (!rejection.success) return null
    const { statusCode, body, headers } = rejection.data.response
    // statusCode 0: axios got no answer (reset, refused, timeout).
    if (statusCode === 0)
      return { status: null, header: () => null, message: `network error: ${String(body)}`, cause: err }
    const read = describeXeroBody(statusCode, body)
    return {
      status: statusCode,
      header: headerReader(headers),
      message: read.message ?? `HTTP ${statusCode}`,
      ...(read.kind ? { kind: read.kind } : {}),
      cause: err,
    }
  }
  if (!(err instanceof Error)) return null
  const e = err as Error & {
    name: string
    error?: string
    error_description?: string
    code?: string
    response?: { statusCode?: number; headers?: Headers }
  }
  if (e.name === 'OPError' || e.name === 'RPError') {
    const status = e.response?.statusCode ?? null
    // An RPError without an answer is openid-client refusing locally (state mismatch, a bad
    // callback): 'validation'; except its deadline, an RPError with this fixed text.
    const local = e.name === 'RPError' && status === null
    const kind = local ? (/timed out/.test(e.message) ? 'transient' : 'validation') : undefined
    return {
      status,
      header: headerReader(e.response?.headers),
      oauthError: e.error,
      message: [e.error ?? e.message, e.error_description].filter(Boolean).join(': '),
      ...(kind ? { kind } : {}),
      cause: err,
    }
  }
  // Socket-level failures (ECONNRESET, ECONNREFUSED, ETIMEDOUT…) carry a system error code.
  if (typeof e.code === 'string' && e.code.startsWith('E'))
    return { status: null, header: () => null, message: `network error: ${e.code}`, cause: err }
  return null
}

/** Classifies a failure; anything that is not a provider failure (a bug) is rethrown untouched. */
export function xeroError(http: ProviderHttp, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err
  const failure = readFailure(err)
  if (!failure) throw err
  return toProviderError(http, failure)
}
