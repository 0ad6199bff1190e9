import { describe, expect, test } from 'vitest'
import { createLogger, redact, safePath } from '../../server/logging/logger.ts'
import { createTestApp } from '../helpers/app.ts'

describe('logs never contain a token, secret or password', () => {
  test('a full session of traffic leaves none of its secrets in the log', async () => {
    const t = await createTestApp({ logLevel: 'debug' })
    try {
      const secrets: string[] = []
      const apiKey = await t.apiKey()
      secrets.push(apiKey, apiKey.split('.')[1]!)
      const embed = await t.embedToken()
      secrets.push(embed)
      const exchanged = (await (
        await t.request('/v1/sessions', { method: 'POST', json: { embedToken: embed } })
      ).json()) as {
        token: string
      }
      secrets.push(exchanged.token, exchanged.token.split('.')[1]!)
      const password = 'Correct-Horse-Battery-Staple-42'
      secrets.push(password)
      await t.request('/v1/accounts', {
        method: 'POST',
        json: { email: 'x@example.com', password, name: 'X', organisation: 'X Ltd' },
      })
      await t.request('/v1/sessions/password', {
        method: 'POST',
        json: { email: 'x@example.com', password: `${password}-wrong` },
      })
      // tokens in places they do not belong: the query string, a bad header, an error path
      await t.request(`/v1/status?access_token=${exchanged.token}&code=${password}`, {
        token: exchanged.token,
      })
      await t.request('/v1/tenants/acme', { method: 'PUT', json: { name: 'Acme' }, token: apiKey })
      await t.request('/v1/tenants/acme', {
        headers: { authorization: `Basic ${Buffer.from(`u:${password}`).toString('base64')}` },
      })
      t.services.log.info('careless call', {
        note: `the key is ${apiKey}`,
        nested: { clientSecret: password },
      })

      const everything = t.logs.join('\n')
      expect(t.logs.length).toBeGreaterThanOrEqual(7) // one line per request, and the careless one
      for (const secret of secrets) expect(everything).not.toContain(secret)
      expect(everything).not.toContain(Buffer.from(`u:${password}`).toString('base64'))
      for (const line of t.logs) expect(() => JSON.parse(line) as unknown).not.toThrow()
    } finally {
      t.close()
    }
  })

  test('redaction masks secret-named keys at any depth and token shapes in any string', () => {
    const out = redact({
      password: 'p',
      headers: { Authorization: 'Bearer abc.def', 'x-api-key': 'k' },
      list: [{ refresh_token: 'r' }, 'Bearer sometoken'],
      message: 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefgh here',
      status: 'sent',
      code: 'not_found',
    })
    expect(out).toEqual({
      password: '[redacted]',
      headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]' },
      list: [{ refresh_token: '[redacted]' }, '[redacted]'],
      message: 'jwt [redacted] here',
      status: 'sent',
      code: 'not_found',
    })
  })

  test('query parameters that can carry secrets are masked in logged paths', () => {
    expect(safePath(new URL('http://x/cb?code=abc&state=s1&page=2&token=t'))).toBe(
      '/cb?code=%5Bredacted%5D&state=%5Bredacted%5D&page=2&token=%5Bredacted%5D',
    )
  })

  test('levels below the threshold are dropped', () => {
    const lines: string[] = []
    const log = createLogger({ level: 'warn', sink: (l) => lines.push(l) })
    log.info('no')
    log.warn('yes')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', msg: 'yes' })
  })
})
