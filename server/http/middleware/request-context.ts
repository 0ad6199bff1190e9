import { createMiddleware } from 'hono/factory'
import { newId } from '../../ids.ts'
import { safePath } from '../../logging/logger.ts'
import type { Services } from '../../services.ts'
import type { AppEnv } from '../context.ts'

const GOOD_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/

/**
 * Puts the services and a request id on the context (a well-formed incoming X-Request-Id is kept,
 * so a host can trace one request through both systems), and logs one line per request.
 */
export function requestContext(services: Services) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header('x-request-id')
    const requestId = incoming && GOOD_REQUEST_ID.test(incoming) ? incoming : newId('req')
    const log = services.log.child({ requestId })
    c.set('services', services)
    c.set('requestId', requestId)
    c.set('log', log)
    c.header('X-Request-Id', requestId) // before the handler: see middleware/headers.ts
    const started = performance.now()
    await next()
    const status = c.res.status
    log[status >= 500 ? 'error' : 'info']('request', {
      method: c.req.method,
      path: safePath(new URL(c.req.url)),
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      tenant: c.get('session')?.tenant.id,
      user: c.get('session')?.user.id,
      keyId: c.get('apiKey')?.id,
    })
  })
}
