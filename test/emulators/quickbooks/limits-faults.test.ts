import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClock } from '../common/clock.ts'
import { startQuickBooksEmulator, type QuickBooksEmulator } from './index.ts'
import { apiClient, connect, faultOf, REALM } from './test-support.ts'

let emu: QuickBooksEmulator
let api: ReturnType<typeof apiClient>

beforeEach(async () => {
  // A nearly frozen clock: a minute window only ends when the test advances it.
  emu = await startQuickBooksEmulator({ clock: createClock({ scale: 1e-9 }) })
  api = apiClient(emu, (await connect(emu)).accessToken)
})
afterEach(() => emu.close())

const info = () => api.get(`companyinfo/${REALM}?minorversion=75`)

describe('throttling per realm (2.4, E-Q4)', () => {
  it('allows 500 requests a minute, answers the 501st with 429 Fault 3001, and resets with the window', async () => {
    const statuses: number[] = []
    for (let batch = 0; batch < 10; batch++)
      statuses.push(...(await Promise.all(Array.from({ length: 50 }, () => info().then((r) => r.status)))))
    expect(statuses.every((s) => s === 200)).toBe(true)
    const over = await info()
    expect(over.status).toBe(429)
    expect(faultOf(over)).toMatchObject({
      code: '3001',
      Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
    })
    emu.control.clock.advance(60_000)
    expect((await info()).status).toBe(200)
  })

  it('allows 10 concurrent requests and refuses the 11th while they are in flight', async () => {
    const release = emu.control.holdApiCalls()
    const held = Array.from({ length: 10 }, () => info())
    await vi.waitFor(() => expect(emu.control.peakConcurrency(REALM)).toBe(10))
    const eleventh = await info()
    expect(eleventh.status).toBe(429)
    expect(faultOf(eleventh).code).toBe('3001')
    release()
    expect((await Promise.all(held)).map((r) => r.status)).toEqual(Array(10).fill(200))
  })

  it('allows 40 batch requests a minute', async () => {
    const batch = { BatchItemRequest: [{ bId: '1', Query: 'select * from Term' }] }
    for (let i = 0; i < 40; i++) expect((await api.post('batch', batch)).status).toBe(200)
    const over = await api.post('batch', batch)
    expect(over.status).toBe(429)
    expect(faultOf(over).code).toBe('3001')
  })

  it('meters every batch item against the 500 a minute', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ bId: String(i), Query: 'select * from Term' }))
    for (let i = 0; i < 16; i++)
      expect((await api.post('batch', { BatchItemRequest: items })).status).toBe(200)
    // 16 × 30 = 480 used; a 30-item batch no longer fits.
    expect((await api.post('batch', { BatchItemRequest: items })).status).toBe(429)
  })

  it('can be forced to throttle by the control API', async () => {
    emu.control.forceThrottle(REALM, 2)
    expect((await info()).status).toBe(429)
    expect((await info()).status).toBe(429)
    expect((await info()).status).toBe(200)
  })
})

describe('injected faults (E-Q5)', () => {
  it('answers 500 and 503 with a Fault, and resets the connection', async () => {
    emu.control.injectFault({ kind: 'status', status: 503 })
    const down = await info()
    expect(down.status).toBe(503)
    expect(faultOf(down).code).toBe('10000')
    emu.control.injectFault({ kind: 'reset' })
    await expect(info()).rejects.toThrow()
    expect((await info()).status).toBe(200)
  })

  it('scripts a Fault inside HTTP 200, as QBO sometimes answers', async () => {
    emu.control.failNext({
      status: 200,
      error: { Message: 'Account Period Closed', Detail: 'x', code: '6210' },
    })
    const res = await api.post('customer', { DisplayName: 'Never Made' })
    expect(res.status).toBe(200)
    expect(faultOf(res).code).toBe('6210')
    expect(
      (await api.query("select * from Customer where DisplayName = 'Never Made'")).json.QueryResponse,
    ).toEqual({})
  })

  it('fails the token endpoint on demand', async () => {
    emu.control.injectFault({ kind: 'status', status: 502 }, 1, 'oauth')
    const res = await fetch(new URL('/oauth2/v1/tokens/bearer', emu.url), { method: 'POST' })
    expect(res.status).toBe(502)
  })

  it('can answer 401 with the lower-case fault keys seen in the wild', async () => {
    emu.control.setLowercaseAuthFaults(true)
    const res = await apiClient(emu, 'not-a-token').get(`companyinfo/${REALM}`)
    expect(res.status).toBe(401)
    expect(res.json.fault.error[0].code).toBe('3200')
  })
})

describe('headers and the request log (QB-P16)', () => {
  it('puts intuit_tid on every answer, success, fault and OAuth alike', async () => {
    const ok = await info()
    const fault = await api.get('customer/999')
    const oauth = await fetch(new URL('/oauth2/v1/tokens/bearer', emu.url), { method: 'POST' })
    for (const h of [ok.headers, fault.headers, oauth.headers])
      expect(h.get('intuit_tid')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('records method, path, query, headers, body and company of each request', async () => {
    emu.control.clearRequests()
    await api.post('customer?minorversion=75&requestid=r-9', { DisplayName: 'Logged' })
    const [entry] = emu.control.requests(REALM)
    expect(entry).toMatchObject({
      method: 'POST',
      path: `/v3/company/${REALM}/customer`,
      query: { minorversion: '75', requestid: 'r-9' },
      body: '{"DisplayName":"Logged"}',
      organisation: REALM,
      status: 200,
    })
    expect(entry!.headers.authorization).toMatch(/^Bearer /)
  })

  it('serves the same powers over HTTP under /__control/', async () => {
    const res = await fetch(new URL('/__control/throttle', emu.url), {
      method: 'POST',
      body: JSON.stringify({ realmId: REALM, count: 1 }),
    })
    expect(res.status).toBe(200)
    expect((await info()).status).toBe(429)
    const log = (await (
      await fetch(new URL(`/__control/requests?realmId=${REALM}`, emu.url))
    ).json()) as unknown[]
    expect(log.length).toBeGreaterThan(0)
  })
})
