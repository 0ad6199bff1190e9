import { createMiddleware } from 'hono/factory'
import { AppError } from '../../errors.ts'
import type { AppEnv } from '../context.ts'

const WRITES = new Set(['POST', 'PUT', 'PATCH'])

/** Writes carry JSON: anything else is refused up front with 415 rather than read as empty. */
export const jsonOnly = createMiddleware<AppEnv>((c, next) => {
  if (WRITES.has(c.req.method)) {
    const type = c.req.header('content-type') ?? ''
    const hasBody = c.req.header('content-length') !== '0' && c.req.raw.body !== null
    if (hasBody && !/^application\/json\s*(;|$)/i.test(type)) throw new AppError('unsupported_media_type')
  }
  return next()
})
