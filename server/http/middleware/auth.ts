import { createMiddleware } from 'hono/factory'
import { AppError } from '../../errors.ts'
import type { AppEnv } from '../context.ts'

function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '')
  return match?.[1] ?? null
}

/** A widget or extension session; with `role: 'admin'`, members are refused. */
export function requireSession(options: { role?: 'admin' } = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearer(c.req.header('authorization'))
    // c.get: every read of `c.var` copies all the variables.
    const session = token ? await c.get('services').sessions.validate(token, c.get('stamp')) : null
    if (!session) throw new AppError('unauthenticated', { headers: { 'WWW-Authenticate': 'Bearer' } })
    if (options.role && session.user.role !== options.role) throw new AppError('forbidden')
    c.set('session', session)
    await next()
  })
}

/** The host backend, by API key. */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header('authorization'))
  const apiKey = token ? await c.var.services.apiKeys.verify(token) : null
  if (!apiKey)
    throw new AppError('unauthenticated', {
      message: 'A valid API key is required.',
      headers: { 'WWW-Authenticate': 'Bearer' },
    })
  c.set('apiKey', apiKey)
  await next()
})
