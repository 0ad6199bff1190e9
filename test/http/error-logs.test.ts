import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createApp } from '../../server/app.ts'
import { openDb } from '../../server/db/client.ts'
import { AppError } from '../../server/errors.ts'
import { createLogger } from '../../server/logging/logger.ts'
import { ProviderError } from '../../server/providers/provider.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

/**
 * Every 5xx answer is logged at error level with its error code and, for an AppError, its cause;
 * 4xx answers stay at info with their code. Nothing secret in a cause reaches the log.
 */
let t: TestApp
let lines: Record<string, unknown>[]
let app: ReturnType<typeof createApp>['app']
const REFRESH_TOKEN = 'rt-0123456789-very-secret'

beforeAll(async () => {
  t = await createTestApp()
  lines = []
  app = createApp({
    config: t.config,
    db: t.db,
    log: createLogger({ level: 'info', sink: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) }),
  }).app
  app.post('/v1/test/unavailable', () => {
    throw new AppError('provider_unavailable', {
      cause: new ProviderError(
        'xero',
        'transient',
        `Xero answered 503 to grant_type=refresh_token&refresh_token=${REFRESH_TOKEN}`,
        {
          status: 503,
          correlationId: 'corr-42',
        },
      ),
    })
  })
  app.post('/v1/test/bad-gateway', () => {
    throw new AppError('provider_error', {
      cause: new Error('upstream said no', { cause: new Error(`Authorization: Bearer ${REFRESH_TOKEN}`) }),
    })
  })
  app.post('/v1/test/missing', () => {
    throw new AppError('not_found')
  })
  app.get('/v1/test/explode', () => {
    throw new Error('boom')
  })
})
afterAll(() => t.close())

const forRequest = (requestId: string | null) => lines.filter((l) => l.requestId === requestId)

describe('5xx answers are logged as errors with their code and cause', () => {
  test('a 503 provider_unavailable: an error line with the code and the provider error behind it', async () => {
    const res = await app.request('/v1/test/unavailable', { method: 'POST' })
    expect(res.status).toBe(503)
    const mine = forRequest(res.headers.get('x-request-id'))
    const failure = mine.find((l) => l.msg === 'server error')
    expect(failure).toMatchObject({
      level: 'error',
      code: 'provider_unavailable',
      status: 503,
      err: {
        name: 'AppError',
        code: 'provider_unavailable',
        cause: {
          name: 'ProviderError',
          kind: 'transient',
          provider: 'xero',
          status: 503,
          correlationId: 'corr-42',
        },
      },
    })
    expect(JSON.stringify(failure)).toContain('Xero answered 503')
    expect(mine.find((l) => l.msg === 'request')).toMatchObject({
      level: 'error',
      status: 503,
      code: 'provider_unavailable',
    })
    expect(JSON.stringify(lines)).not.toContain(REFRESH_TOKEN)
  })

  test('a 502 provider_error: its chain of causes, with secrets masked', async () => {
    const res = await app.request('/v1/test/bad-gateway', { method: 'POST' })
    expect(res.status).toBe(502)
    const failure = forRequest(res.headers.get('x-request-id')).find((l) => l.msg === 'server error')
    expect(failure).toMatchObject({
      level: 'error',
      code: 'provider_error',
      err: { cause: { message: 'upstream said no', cause: { message: 'Authorization: [redacted]' } } },
    })
    expect(JSON.stringify(lines)).not.toContain(REFRESH_TOKEN)
  })

  test('a 503 a route answers without throwing (not_ready) is an error line with its code', async () => {
    const db = openDb({ url: `file:${t.dir}/unmigrated.db` })
    await db.exec('CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)')
    const own: Record<string, unknown>[] = []
    const { app: notReady } = createApp({
      config: t.config,
      db,
      log: createLogger({ sink: (l) => own.push(JSON.parse(l) as Record<string, unknown>) }),
    })
    const res = await notReady.request('/readyz')
    expect(res.status).toBe(503)
    expect(own.find((l) => l.msg === 'request')).toMatchObject({ level: 'error', code: 'not_ready' })
    db.close()
  })

  test('an unexpected failure is an error line with the code internal', async () => {
    const res = await app.request('/v1/test/explode')
    const mine = forRequest(res.headers.get('x-request-id'))
    expect(mine.find((l) => l.msg === 'unhandled error')).toMatchObject({ level: 'error', code: 'internal' })
    expect(mine.find((l) => l.msg === 'request')).toMatchObject({ level: 'error', code: 'internal' })
  })

  test('a 4xx stays at info, with its code, and logs no error', async () => {
    for (const [path, code] of [
      ['/v1/test/missing', 'not_found'],
      ['/v1/test/nowhere', 'route_not_found'],
    ] as const) {
      const res = await app.request(path, { method: 'POST' })
      expect(res.status).toBe(404)
      const mine = forRequest(res.headers.get('x-request-id'))
      expect(mine.map((l) => [l.msg, l.level, l.code])).toEqual([['request', 'info', code]])
    }
  })
})
