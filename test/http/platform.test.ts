import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDb } from '../../server/db/client.ts'
import { createApp } from '../../server/app.ts'
import { createLogger } from '../../server/logging/logger.ts'
import { ERROR_CODES } from '../../shared/errors.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

type OpenApiDoc = {
  openapi: string
  paths: Record<
    string,
    Record<string, { responses: Record<string, unknown>; security?: unknown[]; requestBody?: unknown }>
  >
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> }
}

describe('health', () => {
  test('/healthz and /readyz answer ok on a migrated database', async () => {
    expect(await (await t.request('/healthz')).json()).toEqual({ status: 'ok' })
    expect(await (await t.request('/readyz')).json()).toEqual({ status: 'ok' })
  })

  test('/readyz answers 503 not_ready while migrations are pending', async () => {
    const db = openDb({ url: `file:${t.dir}/unmigrated.db` })
    await db.exec('CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)')
    const { app } = createApp({ config: t.config, db, log: createLogger({ sink: () => undefined }) })
    const res = await app.request('/readyz')
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_ready')
    db.close()
  })
})

describe('OpenAPI', () => {
  test('/openapi.json is OpenAPI 3.1 and describes every API route the app serves', async () => {
    const doc = (await (await t.request('/openapi.json')).json()) as OpenApiDoc
    expect(doc.openapi).toBe('3.1.0')
    const served = t.app.routes
      .filter((r) => r.method !== 'ALL' && (r.path.startsWith('/v1/') || /^\/(healthz|readyz)$/.test(r.path)))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    )
    expect(new Set(served)).toEqual(new Set(documented))
    expect(served.length).toBeGreaterThanOrEqual(20)
  })

  test('every operation documents its error answers with the shared error schema', async () => {
    const doc = (await (await t.request('/openapi.json')).json()) as OpenApiDoc
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        const statuses = Object.keys(op.responses)
        expect(
          statuses.some((s) => /^[23]/.test(s)),
          `${method} ${path}`,
        ).toBe(true)
        if (path.startsWith('/v1/')) expect(statuses, `${method} ${path}`).toContain('500')
        if (op.requestBody) expect(statuses, `${method} ${path}`).toContain('400')
      }
    const errorSchema = doc.components.schemas.Error as {
      properties: { error: { properties: { code: { enum: string[] } } } }
    }
    expect(errorSchema.properties.error.properties.code.enum).toEqual(ERROR_CODES)
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'session'])
  })

  test('/docs is a readable reference page', async () => {
    const res = await t.request('/docs')
    expect(res.headers.get('content-type')).toContain('text/html')
    const page = await res.text()
    expect(page).toContain('/v1/tenants/{tenantId}/invoices')
    expect(page).toContain('Exchange an embed token for a session')
  })
})

describe('security headers', () => {
  test('every answer carries them, errors included; the widget script may be loaded cross-origin', async () => {
    for (const path of ['/healthz', '/v1/nothing-here', '/v1/status']) {
      const res = await t.request(path)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer')
      expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin-allow-popups')
      expect(res.headers.get('x-request-id'), path).toMatch(/^req_/)
    }
    expect((await t.request('/healthz')).headers.get('strict-transport-security')).toBeNull() // http here
    expect((await t.request('/widget.js')).headers.get('cross-origin-resource-policy')).toBe('cross-origin')
  })
})

describe('the error model', () => {
  test('unknown routes and methods answer route_not_found with a request id', async () => {
    const res = await t.request('/v1/nothing-here')
    expect(res.status).toBe(404)
    const body = (await res.json()) as { error: { code: string; requestId: string; action: string } }
    expect(body.error.code).toBe('route_not_found')
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'))
  })

  test('a well-formed X-Request-Id is kept; a bad one is replaced', async () => {
    const kept = await t.request('/healthz', { headers: { 'x-request-id': 'host-trace-12345678' } })
    expect(kept.headers.get('x-request-id')).toBe('host-trace-12345678')
    const replaced = await t.request('/healthz', { headers: { 'x-request-id': '<script>' } })
    expect(replaced.headers.get('x-request-id')).toMatch(/^req_[a-z2-7]{26}$/)
  })

  test('an unexpected failure answers internal with a request id, logs it, and never echoes it', async () => {
    const { app } = createApp({
      config: t.config,
      db: t.db,
      log: createLogger({ sink: (l) => t.logs.push(l) }),
    })
    app.get('/v1/explode', () => {
      throw new Error('database password is hunter2')
    })
    const res = await app.request('/v1/explode')
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(text).not.toContain('hunter2')
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal', retryable: true } })
    expect(t.logs.some((l) => l.includes('unhandled error'))).toBe(true)
  })

  test('every error code has a status, a message and an action', async () => {
    const { ERRORS } = await import('../../shared/errors.ts')
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/)
      expect(spec.message.length).toBeGreaterThan(10)
      expect(spec.action.length).toBeGreaterThan(5)
    }
  })
})
