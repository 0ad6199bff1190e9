import { Hono } from 'hono'
import { describe, expect, it, vi } from 'vitest'
import { ApiError } from './api-error.ts'
import { createApiClient, tokenFromUrl } from './client.ts'

/** A small stand-in for the BFF: sessions from embed tokens, bearer checks, the error shape. */
function fakeBff() {
  const sessions = new Set<string>()
  const seen: { method: string; path: string; auth: string | null; body: unknown }[] = []
  let n = 0
  const fail = (status: 401 | 403 | 409, code: string) =>
    Response.json(
      {
        error: {
          code,
          message: `m:${code}`,
          action: `a:${code}`,
          retryable: false,
          details: [],
          requestId: 'req_1',
        },
      },
      { status },
    )
  const app = new Hono()
    .use(async (c, next) => {
      const body = c.req.header('content-type') ? await c.req.raw.clone().json() : undefined
      seen.push({ method: c.req.method, path: c.req.path, auth: c.req.header('authorization') ?? null, body })
      await next()
    })
    .post('/v1/sessions', async (c) => {
      const { embedToken } = await c.req.json<{ embedToken: string }>()
      if (!embedToken.startsWith('embed-')) return fail(401, 'embed_token_invalid')
      const token = `sess_${++n}`
      sessions.add(token)
      return c.json({ token, expiresAt: '2026-11-23T00:00:00Z' }, 201)
    })
    .use('/v1/*', async (c, next) => {
      const token = c.req.header('authorization')?.replace(/^Bearer /, '') ?? ''
      if (!sessions.has(token)) return fail(401, 'unauthenticated')
      await next()
    })
    .get('/v1/status', (c) => c.json({ user: { role: 'admin' }, connection: null, pendingChoice: null }))
    .post('/v1/connections', async (c) => {
      const body = await c.req.json<{ confirmSwitch?: boolean }>()
      if (!body.confirmSwitch) return fail(409, 'provider_switch_unconfirmed')
      return c.json({ authorizeUrl: 'https://login.example/authorize', expiresAt: 'x' }, 201)
    })
    .post('/v1/connections/choose', async (c) => c.json({ id: 'con_1', ...(await c.req.json()) }))
    .delete('/v1/connection', (c) => c.body(null, 204))
  const fetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) =>
    Promise.resolve(app.fetch(new Request(input, init))),
  )
  return { fetch, sessions, seen }
}

function client(bff = fakeBff()) {
  let tokens = 0
  const getToken = vi.fn(() => Promise.resolve(`embed-${++tokens}`))
  const api = createApiClient({ baseUrl: 'https://ll.example/ignored/path', getToken, fetch: bff.fetch })
  return { api, bff, getToken }
}

describe('createApiClient', () => {
  it('exchanges one embed token for a session and sends it as a bearer token', async () => {
    const { api, bff, getToken } = client()
    await Promise.all([api.status(), api.status()])
    await api.disconnect()
    expect(getToken).toHaveBeenCalledTimes(1)
    expect(bff.seen.map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual([
      'POST /v1/sessions null',
      'GET /v1/status Bearer sess_1',
      'GET /v1/status Bearer sess_1',
      'DELETE /v1/connection Bearer sess_1',
    ])
    expect(bff.seen[0]!.body).toEqual({ embedToken: 'embed-1' })
    expect(bff.fetch.mock.calls[0]![1]!.credentials).toBe('omit')
    expect(api.origin).toBe('https://ll.example')
  })

  it('sends the contract bodies and returns the answers', async () => {
    const { api, bff } = client()
    await expect(
      api.startConnection({ provider: 'xero', mode: 'popup', confirmSwitch: true }),
    ).resolves.toEqual({ authorizeUrl: 'https://login.example/authorize', expiresAt: 'x' })
    await expect(api.chooseOrganisation({ attemptId: 'att_1', organisationId: 'org_2' })).resolves.toEqual({
      id: 'con_1',
      attemptId: 'att_1',
      organisationId: 'org_2',
    })
    expect(bff.seen.filter((r) => r.path !== '/v1/sessions').map((r) => r.body)).toEqual([
      { provider: 'xero', mode: 'popup', confirmSwitch: true },
      { attemptId: 'att_1', organisationId: 'org_2' },
    ])
  })

  it('turns an error answer into an ApiError with its code and request id', async () => {
    const { api } = client()
    const error = await api.startConnection({ provider: 'sage', mode: 'popup' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      code: 'provider_switch_unconfirmed',
      status: 409,
      requestId: 'req_1',
      server: { message: 'm:provider_switch_unconfirmed', action: 'a:provider_switch_unconfirmed' },
    })
  })

  it('gets a new session once when the old one has ended, and retries the call', async () => {
    const { api, bff, getToken } = client()
    await api.status()
    bff.sessions.clear() // expired on the server
    await api.status()
    expect(getToken).toHaveBeenCalledTimes(2)
    expect(bff.seen.at(-1)!.auth).toBe('Bearer sess_2')
  })

  it('does not loop when the new session is refused too', async () => {
    const bff = fakeBff()
    const api = createApiClient({ baseUrl: 'https://ll.example', getToken: () => 'bad', fetch: bff.fetch })
    await expect(api.status()).rejects.toMatchObject({ code: 'embed_token_invalid', status: 401 })
    expect(bff.fetch).toHaveBeenCalledTimes(1)
    // …and tries a fresh token on the next call rather than caching the failure.
    await expect(api.status()).rejects.toMatchObject({ code: 'embed_token_invalid' })
    expect(bff.fetch).toHaveBeenCalledTimes(2)
  })

  it('names network failures and a host that cannot give a token', async () => {
    const offline = createApiClient({
      baseUrl: 'https://ll.example',
      getToken: () => 'embed-1',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    })
    await expect(offline.status()).rejects.toMatchObject({ code: 'network', status: 0 })
    const noToken = createApiClient({
      baseUrl: 'https://ll.example',
      getToken: () => Promise.reject(new Error('host down')),
      fetch: fakeBff().fetch,
    })
    await expect(noToken.status()).rejects.toMatchObject({ code: 'token_unavailable' })
  })

  it('reads an answer that is not the error shape as internal', async () => {
    const api = createApiClient({
      baseUrl: 'https://ll.example',
      getToken: () => 'embed-1',
      fetch: () => Promise.resolve(new Response('<html>Bad gateway</html>', { status: 502 })),
    })
    await expect(api.status()).rejects.toMatchObject({ code: 'internal', status: 502, requestId: null })
  })
})

describe('tokenFromUrl', () => {
  it('POSTs to the host route with its cookies and returns the token', async () => {
    const fetch = vi.fn(() => Promise.resolve(Response.json({ token: 'embed-9' })))
    await expect(tokenFromUrl('/demo/embed-token', fetch)()).resolves.toBe('embed-9')
    expect(fetch).toHaveBeenCalledWith(
      '/demo/embed-token',
      expect.objectContaining({ method: 'POST', credentials: 'same-origin' }),
    )
  })

  it('fails on a refusal or an answer without a token', async () => {
    await expect(
      tokenFromUrl('/t', () => Promise.resolve(new Response('', { status: 403 })))(),
    ).rejects.toThrow('403')
    await expect(tokenFromUrl('/t', () => Promise.resolve(Response.json({})))()).rejects.toThrow('no token')
  })
})
