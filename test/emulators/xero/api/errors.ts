import type { Context } from 'hono'
import { XERO_MESSAGES } from '../messages.ts'

const TITLES = { 401: 'Unauthorized', 403: 'Forbidden' } as const

/**
 * The 401/403 body Xero's API gateway answers (PROVIDERS 1.1):
 * `{"Type":null,"Title":"Forbidden","Status":403,"Detail":"AuthenticationUnsuccessful"}`.
 */
export function problem(c: Context, status: 401 | 403, detail = 'AuthenticationUnsuccessful'): Response {
  if (status === 401) c.header('WWW-Authenticate', 'Bearer error="invalid_token"')
  return c.json({ Type: null, Title: TITLES[status], Status: status, Detail: detail }, status)
}

/** `TokenExpired: token expired at 12/31/2025 23:59:59` [3rd]: the gateway's .NET invariant date. */
export function tokenExpiredDetail(expiredAt: number): string {
  const d = new Date(expiredAt)
  const p = (n: number) => String(n).padStart(2, '0')
  const date = `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()}`
  return `TokenExpired: token expired at ${date} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
}

export interface ErrorElement {
  [key: string]: unknown
  ValidationErrors: { Message: string }[]
}

/** The 400 body of [spec] `components.schemas.Error` (PROVIDERS 1.6, 1.10). */
export function validationExceptionBody(elements: ErrorElement[]) {
  return {
    ErrorNumber: 10,
    Type: 'ValidationException',
    Message: XERO_MESSAGES.validationException,
    Elements: elements,
  }
}

export function validationException(c: Context, elements: ErrorElement[]): Response {
  return c.json(validationExceptionBody(elements), 400)
}

/** A request-level refusal that belongs to no element (bad header, bad query). */
export function requestRefused(c: Context, message: string): Response {
  return validationException(c, [{ ValidationErrors: [{ Message: message }] }])
}

/** Xero answers an unknown resource with 404 and no JSON body (PROVIDERS 1.10). */
export function notFound(c: Context): Response {
  return c.body(null, 404)
}
