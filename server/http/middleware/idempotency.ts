import { createMiddleware } from 'hono/factory'
import { AppError } from '../../errors.ts'
import { fingerprint } from '../../db/repos/idempotency-keys.ts'
import type { AppEnv } from '../context.ts'

const KEY = /^[\x21-\x7e]{1,255}$/

/**
 * `Idempotency-Key` on POST: the same key and body answer the first response again (marked
 * `Idempotent-Replayed: true`); the same key with another body answers 409. Keys are scoped to
 * the caller (API key or user), so two callers never see each other's answers.
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
    if (c.res.status >= 500) await store.release(caller, key)
    else await store.complete(caller, key, c.res.status, await c.res.clone().text())
  }
})
