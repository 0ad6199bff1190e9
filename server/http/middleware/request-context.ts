import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { newRandomId } from '../../ids.ts'
import { safePath } from '../../logging/logger.ts'
import type { Services } from '../../services.ts'
import type { AppEnv } from '../context.ts'
import { addAnswerHeaders, moveAnswerHeaders, setAnswerHeader, startAnswer } from '../answer-headers.ts'
import { asAppError } from '../errors.ts'

const GOOD_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/

/** The error code an answer carries: from the error thrown, else from a JSON error body a route returned. */
async function errorCodeOf(c: Context<AppEnv>): Promise<string | undefined> {
  if (c.error) return asAppError(c.error).code
  if (!c.res.headers.get('content-type')?.startsWith('application/json')) return undefined
  try {
    const body = (await c.res.clone().json()) as { error?: { code?: unknown } } | null
    return typeof body?.error?.code === 'string' ? body.error.code : undefined
  } catch {
    return undefined
  }
}

/**
 * Puts the services and a request id on the context (a well-formed incoming X-Request-Id is kept,
 * so a host can trace one request through both systems), sees that every answer carries the
 * headers gathered for it (answer-headers.ts), and logs one line per request: at error level for
 * a 5xx, info otherwise, with the error code of any error answer.
 */
export function requestContext(services: Services) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header('x-request-id')
    const requestId = incoming && GOOD_REQUEST_ID.test(incoming) ? incoming : newRandomId('req')
    const log = services.log.child({ requestId })
    const answer = startAnswer(c)
    c.set('services', services)
    c.set('requestId', requestId)
    c.set('stamp', services.db.requestStamps())
    c.set('log', log)
    setAnswerHeader(c, 'X-Request-Id', requestId)
    const started = performance.now()
    try {
      await next()
    } catch (err) {
      moveAnswerHeaders(c, answer)
      throw err
    }
    addAnswerHeaders(c, answer)
    const status = c.res.status
    const code = status >= 400 ? await errorCodeOf(c) : undefined
    log[status >= 500 ? 'error' : 'info']('request', {
      method: c.req.method,
      path: c.req.url.includes('?') ? safePath(new URL(c.req.url)) : c.req.path,
      status,
      code,
      ms: Math.round((performance.now() - started) * 10) / 10,
      tenant: c.get('session')?.tenant.id,
      user: c.get('session')?.user.id,
      keyId: c.get('apiKey')?.id,
    })
  })
}
