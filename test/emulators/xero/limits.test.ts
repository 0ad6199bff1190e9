import { afterEach, describe, expect, it, vi } from 'vitest'
import type { XeroEmulator, XeroEmulatorOptions } from './index.ts'
import { startXeroEmulator } from './index.ts'
import { US, UK, api, connect, line } from './testing.ts'

let emu: XeroEmulator
let token: string
async function start(options: XeroEmulatorOptions = {}) {
  emu = await startXeroEmulator(options)
  token = (await connect(emu)).access_token
}
afterEach(() => emu.close())

const org = (tenant = UK) => api(emu, token, 'GET', '/Organisation', { tenant })

describe('rate limits (PROVIDERS 1.4, E-X5)', () => {
  it('puts the remaining-calls headers on every answer', async () => {
    await start()
    const res = await org()
    expect(res.headers.get('x-minlimit-remaining')).toBe('59')
    expect(res.headers.get('x-daylimit-remaining')).toBe('4999')
    expect(res.headers.get('x-appminlimit-remaining')).toBe('9999')
    expect(res.headers.get('xero-correlation-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('answers the 61st call in a minute with 429 minute and Retry-After, per tenant, until the window resets', async () => {
    await start()
    for (let i = 0; i < 60; i++) expect((await org()).status).toBe(200)
    const limited = await org()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('x-rate-limit-problem')).toBe('minute')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60)
    expect(limited.headers.get('x-minlimit-remaining')).toBe('0')
    expect((await org(US)).status).toBe(200)
    emu.control.advanceClock(60_000)
    expect((await org()).status).toBe(200)
  })

  it('enforces the daily limit with X-Rate-Limit-Problem: day', async () => {
    await start({ limits: { perDay: 3 } })
    for (let i = 0; i < 3; i++) await org()
    const limited = await org()
    expect(limited.headers.get('x-rate-limit-problem')).toBe('day')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(60 * 60)
  })

  it('enforces the app-wide minute limit across tenants', async () => {
    await start({ limits: { appPerMinute: 2 } })
    await org(UK)
    await org(US)
    expect((await org(UK)).headers.get('x-rate-limit-problem')).toBe('appminute')
  })

  it('refuses a sixth concurrent call with 429 concurrent and records the peak', async () => {
    await start()
    emu.control.clearRequests()
    emu.control.injectFault({ kind: 'timeout', ms: 500 }, 5)
    const slow = Array.from({ length: 5 }, () => org().catch(() => null))
    // the five are held inside the emulator (past the limiter); a sixth arrives while they are in flight
    await vi.waitFor(() => expect(emu.control.requests()).toHaveLength(5))
    const sixth = await org()
    expect(sixth.status).toBe(429)
    expect(sixth.headers.get('x-rate-limit-problem')).toBe('concurrent')
    expect(sixth.headers.get('retry-after')).toBeNull()
    await Promise.all(slow)
    expect(emu.control.peakConcurrency(UK)).toBe(6)
  })

  it('lets the control API force a 429 with a chosen Retry-After', async () => {
    await start()
    emu.control.force429(UK, 'day', { retryAfterSeconds: 50_000 })
    const res = await org()
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('50000')
    expect(res.headers.get('xero-correlation-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect((await org()).status).toBe(200)
  })

  it('runs an hour of traffic in a scaled clock with the same ratios', async () => {
    // Real time is driven by hand: at scale 3600 a busy machine's pause of half a second would
    // be 30 virtual minutes, long enough to expire the token between two calls.
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      await start({ scale: 3600, limits: { perMinute: 2 } })
      await org()
      await org()
      expect((await org()).status).toBe(429)
      // 60 virtual seconds pass in 16.7 real milliseconds at scale 3600
      vi.advanceTimersByTime(16)
      const limited = await org()
      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toBe('3') // 60 s - 16 ms × 3600 = 2.4 s
      vi.advanceTimersByTime(1)
      expect((await org()).status).toBe(200)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('idempotency (PROVIDERS 1.5, E-X7)', () => {
  const create = (key: string, number: string) =>
    api(emu, token, 'PUT', '/Invoices', {
      headers: { 'Idempotency-Key': key },
      body: {
        Invoices: [
          { Type: 'ACCREC', Contact: { Name: 'Idem Ltd' }, InvoiceNumber: number, LineItems: [line()] },
        ],
      },
    })

  it('replays the first answer for the same key and body, creating one invoice', async () => {
    await start()
    const first = await create('key-1', 'IDEM-1')
    const again = await create('key-1', 'IDEM-1')
    expect(again.status).toBe(200)
    expect(again.body.Invoices[0].InvoiceID).toBe(first.body.Invoices[0].InvoiceID)
    const listed = await api(emu, token, 'GET', '/Invoices?InvoiceNumbers=IDEM-1')
    expect(listed.body.Invoices).toHaveLength(1)
  })

  it('refuses the same key with a different body', async () => {
    await start()
    await create('key-2', 'IDEM-2')
    const res = await create('key-2', 'IDEM-3')
    expect(res.status).toBe(400)
    expect(res.body.Elements[0].ValidationErrors[0].Message).toBe(
      'Idempotency Key key-2 is used with a different request',
    )
  })

  it('forgets a key after 6 minutes', async () => {
    await start()
    await create('key-3', 'IDEM-4')
    emu.control.advanceClock(6 * 60_000 + 1000)
    const res = await create('key-3', 'IDEM-4')
    expect(res.status).toBe(400)
    expect(res.body.Elements[0].ValidationErrors[0].Message).toBe('Invoice # must be unique.')
  })

  it('caches an internal error too', async () => {
    await start()
    emu.control.injectFault({ kind: 'status', status: 500 })
    expect((await create('key-4', 'IDEM-5')).status).toBe(500)
    expect((await create('key-4', 'IDEM-5')).status).toBe(500)
    expect((await create('key-5', 'IDEM-5')).status).toBe(200)
  })

  it('refuses a key longer than 128 characters', async () => {
    await start()
    expect((await create('k'.repeat(129), 'IDEM-6')).status).toBe(400)
  })
})

describe('faults and the request log', () => {
  it('serves injected 503s, then recovers; logs each request with its organisation', async () => {
    await start()
    emu.control.clearRequests()
    emu.control.injectFault({ kind: 'status', status: 503 }, 2)
    const fault = await org()
    expect(fault.status).toBe(503)
    expect(fault.headers.get('xero-correlation-id')).toMatch(/^[0-9a-f-]{36}$/) // E-X6: on every answer
    expect((await org()).status).toBe(503)
    expect((await org()).status).toBe(200)
    const log = emu.control.requests()
    expect(log.map((r) => [r.method, r.path, r.organisation, r.status])).toEqual([
      ['GET', '/api.xro/2.0/Organisation', UK, 503],
      ['GET', '/api.xro/2.0/Organisation', UK, 503],
      ['GET', '/api.xro/2.0/Organisation', UK, 200],
    ])
    expect(log[0]!.headers.authorization).toBe(`Bearer ${token}`)
  })

  it('resets the connection on demand, on the token endpoint too', async () => {
    await start()
    emu.control.injectFault({ kind: 'reset' })
    await expect(fetch(`${emu.url}/connect/token`, { method: 'POST' })).rejects.toThrow()
  })

  it('offers the same powers over HTTP under /__control', async () => {
    await start()
    const post = (path: string, body: unknown) =>
      fetch(`${emu.url}/__control${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    await post('/rate-limit', { tenantId: UK, problem: 'minute', retryAfterSeconds: 37 })
    expect((await org()).headers.get('retry-after')).toBe('37')
    await post('/tenants/' + US + '/disconnect', {})
    expect((await org(US)).status).toBe(403)
    const log = (await (await fetch(`${emu.url}/__control/requests`)).json()) as unknown[]
    expect(log.length).toBeGreaterThan(0)
    expect(log.some((r) => (r as { path: string }).path.startsWith('/__control'))).toBe(false)
  })
})
