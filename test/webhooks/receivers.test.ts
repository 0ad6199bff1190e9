import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { PROVIDER_IDS } from '../../shared/providers.ts'
import { MAX_BODY_BYTES } from '../../server/app.ts'
import { WEBHOOK_MAX_BODY_BYTES } from '../../server/http/routes/webhooks.ts'
import { PROVIDER_FACTS } from '../../server/providers/registry.ts'
import { WEBHOOK_RECEIVERS } from '../../server/webhooks/inbound.ts'
import { providerTime } from '../../server/webhooks/timestamps.ts'
import { clearStored, deliver, stored, webhookApp } from './support.ts'

// What the receivers share, whatever the provider: no session, no Origin check, no JSON-only rule,
// a body limit sized for QuickBooks' batches, and a clear answer when no key is configured.
const KEYS = { xero: 'xero-key-for-these-tests', quickbooks: 'verifier-for-these-tests' }
const sign = (key: string, body: string | Buffer) => createHmac('sha256', key).update(body).digest('base64')

describe('a receiver whose key is not configured', () => {
  let app: Awaited<ReturnType<typeof webhookApp>>
  beforeAll(async () => {
    app = await webhookApp({ xero: null, quickbooks: null })
  })
  afterAll(() => app.close())

  test('answers 503 webhooks_not_configured naming the variable, whatever the signature, and keeps nothing', async () => {
    const body = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: 'X' })
    const xero = await deliver(`${app.url}/v1/webhooks/xero`, body, { 'x-xero-signature': sign('any', body) })
    const qbo = await deliver(`${app.url}/v1/webhooks/quickbooks`, '[]', { 'intuit-signature': 'x' })
    expect([xero.status, qbo.status]).toEqual([503, 503])
    expect(JSON.parse(xero.text)).toMatchObject({
      error: {
        code: 'webhooks_not_configured',
        message: 'Webhooks from Xero are not configured: set XERO_WEBHOOK_KEY.',
        retryable: true,
      },
    })
    expect(JSON.parse(qbo.text)).toMatchObject({
      error: { message: 'Webhooks from QuickBooks are not configured: set QUICKBOOKS_WEBHOOK_VERIFIER.' },
    })
    expect(await stored(app.t).deliveries()).toEqual([])
  })
})

describe('receivers', () => {
  let app: Awaited<ReturnType<typeof webhookApp>>
  beforeAll(async () => {
    app = await webhookApp(KEYS)
  })
  beforeEach(() => clearStored(app.t))
  afterAll(() => app.close())

  /** A legacy QuickBooks body of about `bytes` bytes: one notification of many entities. */
  const legacyOf = (bytes: number) => {
    const entity = (i: number) => ({
      name: 'Item',
      id: String(i),
      operation: 'Update',
      lastUpdated: 'x'.repeat(200),
    })
    const count = Math.ceil(bytes / JSON.stringify(entity(100000)).length)
    return JSON.stringify({
      eventNotifications: [
        {
          realmId: '123',
          dataChangeEvent: { entities: Array.from({ length: count }, (_, i) => entity(100000 + i)) },
        },
      ],
    })
  }

  test('need no session, and take a provider’s POST from anywhere (no Origin check), with cookies or without', async () => {
    const body = JSON.stringify({ events: [], entropy: 'Y' })
    const res = await deliver(`${app.url}/v1/webhooks/xero`, body, {
      'content-type': 'application/json',
      'x-xero-signature': sign(KEYS.xero, body),
      origin: 'https://elsewhere.example',
      cookie: 'sid=whatever',
    })
    expect([res.status, res.text, res.headers.get('set-cookie')]).toEqual([200, '', null])
    expect(await stored(app.t).deliveries()).toHaveLength(1)
  })

  test('a body that is not UTF-8 text, rightly signed, is kept (as best it reads) and answered 400', async () => {
    const raw = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) // {"\xff\xfe"}
    const res = await deliver(`${app.url}/v1/webhooks/quickbooks`, raw, {
      'intuit-signature': sign(KEYS.quickbooks, raw),
    })
    expect(res.status).toBe(400)
    expect(await stored(app.t).deliveries()).toEqual([
      expect.objectContaining({ outcome: 'malformed', note: 'not UTF-8 text', body: '{"\uFFFD\uFFFD"}' }),
    ])
  })

  test('a provider with no Disconnect URL has no such route', async () => {
    const res = await app.t.request('/v1/oauth/xero/disconnected?realmId=1')
    expect(res.status).toBe(404)
    expect((await app.t.request('/v1/webhooks/sage', { method: 'POST', body: '{}' })).status).toBe(404)
  })

  // On a server of its own: a refused upload closes its connection, which a client may still hold.
  test('take bodies larger than the API’s limit (QuickBooks batches reach about 1 MB) and refuse much larger ones with 413, keeping nothing', async () => {
    const own = await webhookApp(KEYS)
    try {
      expect(WEBHOOK_MAX_BODY_BYTES).toBeGreaterThan(MAX_BODY_BYTES)
      const large = legacyOf(MAX_BODY_BYTES + 200_000)
      expect(large.length).toBeGreaterThan(MAX_BODY_BYTES)
      const url = `${own.url}/v1/webhooks/quickbooks`
      const taken = await deliver(url, large, { 'intuit-signature': sign(KEYS.quickbooks, large) })
      expect(taken.status).toBe(200)
      expect((await stored(own.t).deliveries()).map((d) => d.body.length)).toEqual([large.length])

      await clearStored(own.t)
      const huge = legacyOf(WEBHOOK_MAX_BODY_BYTES + 100_000)
      const refused = await deliver(url, huge, { 'intuit-signature': sign(KEYS.quickbooks, huge) })
      expect(refused.status).toBe(413)
      expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'payload_too_large' } })
      // Without a Content-Length (chunked), the limit is counted as the body comes.
      const chunked = await fetch(url, {
        method: 'POST',
        headers: { 'intuit-signature': sign(KEYS.quickbooks, huge) },
        body: new Blob([huge]).stream(),
        duplex: 'half',
      } as RequestInit)
      expect(chunked.status).toBe(413)
      expect(await stored(own.t).deliveries()).toEqual([])
      // The rest of the API keeps its own limit.
      const api = await own.t.request('/v1/sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: large,
      })
      expect(api.status).toBe(413)
    } finally {
      await own.close()
    }
  })
})

describe('what receiving rests on', () => {
  test('a receiver for exactly the providers whose facts say they send webhooks', () => {
    expect(Object.keys(WEBHOOK_RECEIVERS).sort()).toEqual(
      PROVIDER_IDS.filter((id) => PROVIDER_FACTS[id].webhooks).sort(),
    )
  })

  test('providers’ times: UTC without a zone, nanoseconds, offsets without a colon; unreadable ones are null', () => {
    expect(providerTime('2024-06-21T01:15:39.902')).toBe(Date.UTC(2024, 5, 21, 1, 15, 39, 902))
    expect(providerTime('2025-09-10T21:31:25.179851517Z')).toBe(Date.UTC(2025, 8, 10, 21, 31, 25, 179))
    expect(providerTime('2015-10-05T14:42:19-0700')).toBe(Date.UTC(2015, 9, 5, 21, 42, 19))
    expect(providerTime('2015-10-05T14:42:19.5+01:00')).toBe(Date.UTC(2015, 9, 5, 13, 42, 19, 500))
    expect(providerTime('yesterday')).toBeNull()
    expect(providerTime('2015-13-45T99:99:99Z')).toBeNull()
    expect(providerTime(undefined)).toBeNull()
  })
})
