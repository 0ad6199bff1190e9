import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.ts'

/**
 * No cache keeps an API answer or an answer to a request with credentials; public static files
 * keep their caching. /docs runs under a Content-Security-Policy that lets it load only itself.
 */
let t: TestApp
let apiKey: string
let session: string
beforeAll(async () => {
  t = await createTestApp()
  apiKey = await t.apiKey()
  session = await t.session()
})
afterAll(() => t.close())

const cacheOf = (res: Response) => res.headers.get('cache-control')

describe('Cache-Control: no-store', () => {
  test('on every /v1 answer: with an API key, a session, or none; success or error', async () => {
    const answers = [
      await t.request('/v1/tenants/cache-co', { method: 'PUT', json: { name: 'Acme' }, token: apiKey }),
      await t.request('/v1/tenants/cache-co/customers', {
        method: 'POST',
        json: { name: 'A' },
        token: apiKey,
      }),
      await t.request('/v1/tenants/cache-co/customers', { token: apiKey }),
      await t.request('/v1/tenants/nobody/customers', { token: apiKey }),
      await t.request('/v1/status', { token: session }),
      await t.request('/v1/tenants/cache-co/customers'),
      await t.request('/v1/no-such-route', { token: apiKey }),
      await t.request('/v1/sessions', { method: 'POST', json: { embedToken: await t.embedToken() } }),
    ]
    expect(answers.map((r) => r.status)).toEqual([201, 201, 200, 404, 200, 401, 404, 201])
    for (const res of answers) expect(cacheOf(res), res.url).toBe('no-store')
  })

  test('on any answer to a request that carries credentials, outside /v1 too', async () => {
    const bearer = await t.request('/openapi.json', { token: apiKey })
    const cookie = await t.request('/docs', { headers: { cookie: 'sid=x' } })
    expect([bearer.status, cookie.status]).toEqual([200, 200])
    expect([cacheOf(bearer), cacheOf(cookie)]).toEqual(['no-store', 'no-store'])
    // without credentials, the public reference may be cached
    expect(cacheOf(await t.request('/openapi.json'))).toBeNull()
  })

  test('public static files keep their caching, even fetched with credentials', async () => {
    for (const path of ['/widget.js', '/assets/docs.css']) {
      for (const token of [undefined, apiKey]) {
        const res = await t.request(path, token ? { token } : {})
        expect(res.status, path).toBe(200)
        expect(cacheOf(res), path).toBe('public, max-age=300')
      }
    }
  })
})

describe('/docs Content-Security-Policy', () => {
  test('is strict: nothing runs, only same-origin styles load, no framing, no forms, no base', async () => {
    const csp = (await t.request('/docs')).headers.get('content-security-policy')
    const directives = Object.fromEntries(
      (csp ?? '').split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/)
        return [name, values.join(' ')]
      }),
    )
    expect(directives).toEqual({
      'default-src': "'none'",
      'style-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    })
  })

  test('still lets the page work: every resource it loads is a same-origin stylesheet that is served', async () => {
    const page = await (await t.request('/docs')).text()
    expect(page).not.toMatch(/<script|<style|\sstyle=|<img|<iframe|<form|\son[a-z]+=/i)
    const links = [...page.matchAll(/<link\b[^>]*>/g)].map((m) => m[0])
    expect(links.length).toBeGreaterThan(0)
    for (const link of links) {
      expect(link).toContain('rel="stylesheet"')
      const href = /href="([^"]+)"/.exec(link)?.[1] ?? ''
      expect(href).toMatch(/^\/[^/]/) // same origin
      const css = await t.request(href)
      expect(css.status).toBe(200)
      expect(css.headers.get('content-type')).toContain('text/css')
      expect(await css.text()).not.toMatch(/url\(|@import/) // nothing more for the CSP to allow
    }
  })
})
