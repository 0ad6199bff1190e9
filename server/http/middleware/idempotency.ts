import { createMiddleware } from 'hono/factory'
import { ERRORS, type ErrorCode } from '../../../shared/errors.ts'
import { AppError } from '../../errors.ts'
import { fingerprint } from '../../db/repos/idempotency-keys.ts'
import { asAppError } from '../errors.ts'
import type { AppEnv } from '../context.ts'

const KEY = /^[\x21-\x7e]{1,255}$/

/**
 * Refusals decided before the request changed anything: its input, its caller, or the state of
 * what it names (no such tenant yet, an invoice not sent yet) was wrong. As Stripe does, such an
 * answer is not stored: the key is released, so the retry after the cause is fixed (the tenant
 * created, the body corrected) acts. Retryable errors (429, 5xx) are released too: a retry may help.
 */
export const REFUSALS = new Set<ErrorCode>([
  'validation_failed',
  'malformed_request',
  'unsupported_media_type',
  'payload_too_large',
  'unauthenticated',
  'embed_token_invalid',
  'embed_token_replayed',
  'invalid_credentials',
  'forbidden',
  'origin_not_allowed',
  'not_found',
  'route_not_found',
  'method_not_allowed',
  'invalid_state_change',
  'payment_exceeds_due',
  'credit_exceeds_remaining',
  'no_connection',
  'connection_expired',
  'connection_revoked',
  'provider_switch_unconfirmed',
  'oauth_state_invalid',
  'oauth_denied',
  // Checked before a push is queued: nothing was sent.
  'mapping_missing',
  'sync_disabled',
  'currency_not_enabled',
  // Asked of a provider that has no such thing: nothing was sent.
  'not_supported',
])

/**
 * Errors that are the request's outcome, stored like a success: the operation began and the
 * database write itself refused it (`conflict`, a UNIQUE failure). A test holds every
 * non-retryable 4xx code to one of these two sets, so a new code gets a decision; an unclassified
 * one would be stored (a stale answer, never a second action).
 */
// What the provider said after a write was sent: the outcome, replayed as it was.
export const OUTCOME_ERRORS = new Set<ErrorCode>([
  'conflict',
  'total_mismatch',
  'invoice_locked',
  'provider_refused',
  // Sync errors of a payment, read from its state; no route answers them today.
  'invoice_not_synced',
  'payment_locked',
])

/** Whether this answer is the request's outcome, to be replayed under its key. */
function isOutcome(status: number, error: Error | undefined): boolean {
  if (status >= 500) return false
  if (!error) return true
  const { code } = asAppError(error)
  return !REFUSALS.has(code) && !ERRORS[code].retryable
}

/**
 * `Idempotency-Key` on POST: the same key and body answer the first outcome again (marked
 * `Idempotent-Replayed: true`); the same key with another body answers 409. A refusal stores
 * nothing (see REFUSALS). Keys are scoped to the caller (API key or user), so two callers never
 * see each other's answers.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('idempotency-key')
  if (c.req.method !== 'POST' || key === undefined) return next()
  if (!KEY.test(key))
    throw new AppError('validation_failed', {
      details: [{ path: 'Idempotency-Key', message: 'Use 1–255 visible ASCII characters' }],
    })
  const caller = c.var.apiKey
    ? `key:${c.var.apiKey.id}`
    : c.var.session
      ? `usr:${c.var.session.user.id}`
      : null
  if (!caller) return next()
  const store = c.var.services.idempotency
  const hash = fingerprint(c.req.method, new URL(c.req.url).pathname, await c.req.text())
  const claim = await store.claim(caller, key, hash)
  if (claim.kind === 'mismatch') throw new AppError('idempotency_key_reused')
  if (claim.kind === 'in_progress')
    throw new AppError('idempotency_in_progress', { headers: { 'Retry-After': '1' } })
  if (claim.kind === 'replay')
    return c.body(claim.body, claim.status as 200, {
      'Content-Type': 'application/json',
      'Idempotent-Replayed': 'true',
    })
  try {
    await next()
  } finally {
    if (isOutcome(c.res.status, c.error))
      await store.complete(caller, key, c.res.status, await c.res.clone().text())
    else await store.release(caller, key)
  }
})
