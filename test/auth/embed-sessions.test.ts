import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const exchange = (embedToken: unknown) => t.request('/v1/sessions', { method: 'POST', json: { embedToken } })
async function errorCode(res: Response) {
  return ((await res.json()) as { error: { code: string } }).error.code
}

describe('POST /v1/sessions: embed token exchange', () => {
  test('a valid token becomes a session, creating the tenant and user from its claims', async () => {
    const res = await exchange(
      await t.embedToken({
        tenant: 'harbour',
        tenant_name: 'Harbour Plumbing',
        sub: 'u-7',
        name: 'Sam',
        role: 'member',
      }),
    )
    expect(res.status).toBe(201)
    const body = (await res.json()) as {
      token: string
      user: { name: string; role: string }
      tenant: { id: string; name: string }
    }
    expect(body.token).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{32}$/)
    expect(body.user).toMatchObject({ name: 'Sam', role: 'member' })
    expect(body.tenant).toEqual({ id: 'harbour', name: 'Harbour Plumbing' })
    const me = await t.request('/v1/session', { token: body.token })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ user: { name: 'Sam' }, tenant: { id: 'harbour' } })
  })

  test('the host stays the authority: a later token updates name and role', async () => {
    await t.session({ tenant: 'roles', sub: 'u-1', role: 'member', name: 'Before' })
    const token = await t.session({ tenant: 'roles', sub: 'u-1', role: 'admin', name: 'After' })
    const me = (await (await t.request('/v1/status', { token })).json()) as {
      user: { name: string; role: string }
    }
    expect(me.user).toMatchObject({ name: 'After', role: 'admin' })
    const users = await t.db.all('SELECT * FROM users WHERE tenant_id = ?', ['roles'])
    expect(users).toHaveLength(1)
  })

  test('only a hash of the session secret is stored', async () => {
    const token = await t.session({ tenant: 'hashes' })
    const [id, secret] = token.split('.')
    const row = await t.db.get<{ secret_hash: Uint8Array }>('SELECT * FROM sessions WHERE id = ?', [id!])
    expect(row).toBeDefined()
    expect(Buffer.from(row!.secret_hash).toString('utf8')).not.toContain(secret)
    expect(JSON.stringify(await t.db.all('SELECT * FROM sessions'))).not.toContain(secret)
  })

  test('a token is accepted once: the replay answers embed_token_replayed', async () => {
    const token = await t.embedToken({ jti: 'replay-me-0123456789' })
    expect((await exchange(token)).status).toBe(201)
    const again = await exchange(token)
    expect(again.status).toBe(401)
    expect(await errorCode(again)).toBe('embed_token_replayed')
  })

  test('expired, over-long, future and wrongly signed tokens are refused', async () => {
    const expired = await t.embedToken({}, { lifetimeSeconds: 60, now: t.now() - 10 * 60_000 })
    const tooLong = await t.embedToken({}, { lifetimeSeconds: 16 * 60 })
    const future = await t.embedToken({}, { now: t.now() + 10 * 60_000 })
    const forged = await new SignJWT({ tenant: 'acme', role: 'admin', name: 'Eve' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('eve')
      .setJti('forged-0123456789abcdef')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('another-secret-another-secret-1234567'))
    for (const token of [expired, tooLong, future, forged, 'not.a.jwt', 'x']) {
      const res = await exchange(token)
      expect(res.status, token).toBe(401)
      expect(await errorCode(res)).toBe('embed_token_invalid')
    }
  })

  test('alg "none" and missing or bad claims are refused', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')
    const now = Math.floor(t.now() / 1000)
    const claims = {
      sub: 'u',
      tenant: 'acme',
      role: 'admin',
      name: 'N',
      jti: 'none-alg-0123456789',
      iat: now,
      exp: now + 60,
    }
    const unsigned = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`
    expect(await errorCode(await exchange(unsigned))).toBe('embed_token_invalid')

    const key = new TextEncoder().encode(t.config.embedSecret)
    const sign = (payload: Record<string, unknown>) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key)
    const cases = [
      { sub: 'u', tenant: 'acme', role: 'owner', name: 'N', jti: 'bad-role-0123456789' },
      { sub: 'u', tenant: 'acme', role: 'admin', jti: 'no-name-0123456789' },
      { sub: 'u', role: 'admin', name: 'N', jti: 'no-tenant-0123456789' },
      { sub: 'u', tenant: '../etc', role: 'admin', name: 'N', jti: 'bad-tenant-0123456789' },
      { sub: 'u', tenant: 'acme', role: 'admin', name: 'N' }, // no jti
    ]
    for (const payload of cases) {
      const res = await exchange(await sign(payload))
      expect(res.status, JSON.stringify(payload)).toBe(401)
      expect(await errorCode(res)).toBe('embed_token_invalid')
    }
  })

  test('a malformed body is a validation error, not a 500', async () => {
    expect((await exchange(42)).status).toBe(400)
    expect((await t.request('/v1/sessions', { method: 'POST', json: {} })).status).toBe(400)
    const res = await t.request('/v1/sessions', { method: 'POST', json: { embedToken: 'x', extra: 1 } })
    expect(res.status).toBe(400)
    expect(await errorCode(res)).toBe('validation_failed')
  })
})

describe('session use', () => {
  test('no, malformed or unknown tokens answer 401 unauthenticated', async () => {
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: 'Basic abc' },
      { authorization: 'Bearer a.b' },
    ]
    for (const headers of cases) {
      const res = await t.request('/v1/status', { headers })
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Bearer')
      expect(await errorCode(res)).toBe('unauthenticated')
    }
  })

  test('a tampered secret is refused', async () => {
    const token = await t.session({ tenant: 'tamper' })
    const [id, secret] = token.split('.')
    const flipped = `${id}.${secret!.slice(0, -1)}${secret!.endsWith('a') ? 'b' : 'a'}`
    expect((await t.request('/v1/status', { token: flipped })).status).toBe(401)
    expect((await t.request('/v1/status', { token })).status).toBe(200)
  })

  test('sessions expire after their lifetime and are removed', async () => {
    const token = await t.session({ tenant: 'expiry' })
    t.advance(t.config.sessionTtlSeconds * 1000 + 1)
    expect((await t.request('/v1/status', { token })).status).toBe(401)
    expect(await t.db.get('SELECT 1 FROM sessions WHERE id = ?', [token.split('.')[0]!])).toBeUndefined()
  })

  test('signing out ends the session', async () => {
    const token = await t.session({ tenant: 'signout' })
    expect((await t.request('/v1/session', { method: 'DELETE', token })).status).toBe(204)
    expect((await t.request('/v1/session', { token })).status).toBe(401)
  })

  test('status shows who is signed in, scoped to their own tenant', async () => {
    const a = await t.session({ tenant: 'tenant-a', sub: 'a', name: 'Alice' })
    const b = await t.session({ tenant: 'tenant-b', sub: 'b', name: 'Bob', role: 'member' })
    const sa = (await (await t.request('/v1/status', { token: a })).json()) as {
      tenant: { id: string }
      connection: null
    }
    const sb = (await (await t.request('/v1/status', { token: b })).json()) as {
      tenant: { id: string }
      user: { role: string }
    }
    expect(sa.tenant.id).toBe('tenant-a')
    expect(sa.connection).toBeNull()
    expect(sb.tenant.id).toBe('tenant-b')
    expect(sb.user.role).toBe('member')
  })

  test('a session cannot use the host data API, which takes API keys only', async () => {
    const token = await t.session({ tenant: 'acme' })
    const res = await t.request('/v1/tenants/acme/invoices', { token })
    expect(res.status).toBe(401)
  })

  test('CORS answers only the allowed origins', async () => {
    const allowed = t.config.allowedOrigins[0]!
    const ok = await t.request('/v1/sessions', {
      method: 'OPTIONS',
      headers: { origin: allowed, 'access-control-request-method': 'POST' },
    })
    expect(ok.headers.get('access-control-allow-origin')).toBe(allowed)
    const other = await t.request('/v1/sessions', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })
})
