import { serve } from '@hono/node-server'
import { Hono, type Handler, type MiddlewareHandler } from 'hono'
import { request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  addAnswerHeaders,
  jsonAnswer,
  setAnswerHeader,
  startAnswer,
} from '../../server/http/answer-headers.ts'
import type { AppEnv } from '../../server/http/context.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

/**
 * The headers every answer carries (request id, security headers, CORS) are gathered as a plain
 * record and added to the handler's answer after it (server/http/answer-headers.ts); the status
 * route builds them into its answer itself. Either way, the same headers, once each.
 */
let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

/** The headers every answer shares, whatever it answered: all but the request's own. */
const shared = (res: Response) =>
  Object.fromEntries(
    [...res.headers].filter(
      ([name]) => !['content-length', 'content-type', 'x-request-id', 'www-authenticate'].includes(name),
    ),
  )

describe('the status route', () => {
  test('answers with the very headers of an error answer, its request id and CORS included', async () => {
    const origin = t.config.allowedOrigins[0]!
    const token = await t.session({ tenant: 'acme-headers' })
    const ok = await t.request('/v1/status', { token, headers: { origin } })
    const refused = await t.request('/v1/status', { headers: { origin } })
    expect([ok.status, refused.status]).toEqual([200, 401])
    expect(shared(ok)).toEqual(shared(refused))
    expect(shared(ok)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'SAMEORIGIN',
      'cross-origin-opener-policy': 'same-origin-allow-popups',
      'cache-control': 'no-store',
      vary: 'Origin',
      'access-control-allow-origin': origin,
    })
    expect(ok.headers.get('content-type')).toBe('application/json')
    expect(ok.headers.get('x-request-id')).toMatch(/^req_/)
    expect(ok.headers.get('x-request-id')).not.toBe(refused.headers.get('x-request-id'))
  })

  test('over HTTP, carries each header once, as the in-process answer does', async () => {
    const token = await t.session({ tenant: 'acme-headers' })
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server))
    })
    try {
      const { port } = server.address() as AddressInfo
      const res = await new Promise<IncomingMessage>((resolve, reject) =>
        httpRequest(`http://127.0.0.1:${port}/v1/status`, { headers: { authorization: `Bearer ${token}` } })
          .on('response', resolve)
          .on('error', reject)
          .end(),
      )
      res.resume()
      expect(res.statusCode).toBe(200)
      const names = res.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase())
      expect(names.length).toBe(new Set(names).size)
      const inProcess = await t.request('/v1/status', { token })
      const expected = [...inProcess.headers.keys()].filter((name) => name !== 'content-length')
      expect(names).toEqual(expect.arrayContaining(expected))
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

describe('the gathered headers', () => {
  /** The way request-context.ts and headers.ts use them, around a handler. */
  function appWith(handler: Handler<AppEnv>, routeMiddleware?: MiddlewareHandler<AppEnv>) {
    const app = new Hono<AppEnv>()
    app.use(async (c, next) => {
      const answer = startAnswer(c)
      setAnswerHeader(c, 'X-Frame-Options', 'SAMEORIGIN')
      setAnswerHeader(c, 'Cache-Control', 'no-store')
      await next()
      addAnswerHeaders(c, answer)
    })
    if (routeMiddleware) app.use(routeMiddleware)
    app.get('/', handler)
    return app
  }

  test('a header the handler set itself wins, in c.header() or in its answer', async () => {
    const byHeader = appWith((c) => {
      c.header('Cache-Control', 'public, max-age=60')
      return c.text('hi')
    })
    const inAnswer = appWith((c) => c.body('hi', 200, { 'Cache-Control': 'public, max-age=60' }))
    for (const app of [byHeader, inAnswer]) {
      const res = await app.request('/')
      expect(res.headers.get('cache-control')).toBe('public, max-age=60')
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    }
  })

  test('jsonAnswer builds in what a route middleware set with setAnswerHeader()', async () => {
    const app = appWith(
      (c) => jsonAnswer(c, { ok: true }, 200),
      async (c, next) => {
        setAnswerHeader(c, 'X-Route', 'yes')
        await next()
      },
    )
    const res = await app.request('/')
    expect(await res.json()).toEqual({ ok: true })
    expect(res.headers.get('x-route')).toBe('yes')
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(res.headers.get('content-type')).toBe('application/json')
  })

  test('errors and answers no route gave carry them too', async () => {
    const app = appWith(() => {
      throw new Error('boom')
    })
    app.onError((_, c) => c.json({ error: true }, 500))
    for (const path of ['/', '/missing']) {
      const res = await app.request(path)
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN')
    }
  })
})
