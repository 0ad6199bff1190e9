import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClock } from '../common/clock.ts'
import { startQuickBooksEmulator, type QuickBooksEmulator } from './index.ts'
import { apiClient, connect, REALM } from './test-support.ts'

const VERIFIER = 'verifier-token-EMUCANARY-1'
interface Received {
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A webhook endpoint that records what it receives and answers the statuses it is told to. */
async function receiver() {
  const received: Received[] = []
  const statuses: number[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      res.statusCode = statuses.shift() ?? 200
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/quickbooks`
  return { url, received, statuses, close: () => new Promise((r) => server.close(r)) }
}

let emu: QuickBooksEmulator
let hook: Awaited<ReturnType<typeof receiver>>
let api: ReturnType<typeof apiClient>

beforeEach(async () => {
  hook = await receiver()
  emu = await startQuickBooksEmulator({
    clock: createClock({ scale: 1e-6 }),
    webhooks: { url: hook.url, verifierToken: VERIFIER },
  })
  api = apiClient(emu, (await connect(emu)).accessToken)
})
afterEach(async () => {
  await emu.close()
  await hook.close()
})

const sign = (body: string) => createHmac('sha256', VERIFIER).update(body).digest('base64')

describe('webhook deliveries (2.8, E-Q8)', () => {
  it('POSTs a CloudEvents array signed with intuit-signature', async () => {
    const made = (await api.post('customer', { DisplayName: 'Hooked Inc' })).json.Customer
    await emu.control.webhooks.flush()
    expect(hook.received).toHaveLength(1)
    const [delivery] = hook.received
    expect(delivery!.headers['intuit-signature']).toBe(sign(delivery!.body))
    expect(delivery!.headers['content-type']).toBe('application/cloudevents+json')
    const events = JSON.parse(delivery!.body)
    expect(events).toEqual([
      {
        specversion: '1.0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        source: expect.stringMatching(/^intuit\./),
        type: 'qbo.customer.created.v1',
        datacontenttype: 'application/json',
        time: expect.any(String),
        intuitentityid: made.Id,
        intuitaccountid: REALM,
        data: {},
      },
    ])
  })

  it('sends the legacy eventNotifications format when configured', async () => {
    emu.control.webhooks.configure({ url: hook.url, verifierToken: VERIFIER, format: 'legacy' })
    const inv = await api.post('invoice', {
      CustomerRef: { value: '1' },
      Line: [
        { DetailType: 'SalesItemLineDetail', Amount: 5, SalesItemLineDetail: { ItemRef: { value: '3' } } },
      ],
    })
    await emu.control.webhooks.flush()
    const body = hook.received[0]!.body
    expect(hook.received[0]!.headers['intuit-signature']).toBe(sign(body))
    expect(JSON.parse(body)).toEqual({
      eventNotifications: [
        {
          realmId: REALM,
          dataChangeEvent: {
            entities: [
              {
                name: 'Invoice',
                id: inv.json.Invoice.Id,
                operation: 'Create',
                lastUpdated: expect.stringMatching(/-0700$/),
              },
            ],
          },
        },
      ],
    })
  })

  it('retries a failed delivery after 10 s, 20 s, 30 s and 5 min, holding later events back until acknowledged', async () => {
    hook.statuses.push(500, 503, 500, 404)
    await api.post('customer', { DisplayName: 'Retry Me' })
    await emu.control.webhooks.flush()
    expect(hook.received).toHaveLength(1)
    await api.post('customer', { DisplayName: 'Waiting Behind' })
    for (const [wait, total] of [
      [9_999, 1],
      [1, 2],
      [20_000, 3],
      [30_000, 4],
      [299_999, 4],
      // The fifth attempt is answered 200, so the held-back event goes out right behind it.
      [1, 6],
    ] as const) {
      emu.control.clock.advance(wait)
      await emu.control.webhooks.flush()
      expect(hook.received).toHaveLength(total)
    }
    expect(JSON.parse(hook.received[5]!.body)[0].type).toBe('qbo.customer.created.v1')
    const [first] = emu.control.webhooks.deliveries()
    expect(first!.attempts.map((a) => a.status)).toEqual([500, 503, 500, 404, 200])
  })

  it('gathers events over the aggregation window into one batch', async () => {
    emu.control.webhooks.configure({ url: hook.url, verifierToken: VERIFIER, aggregateMs: 60_000 })
    await api.post('customer', { DisplayName: 'One' })
    await api.post('customer', { DisplayName: 'Two' })
    await emu.control.webhooks.flush()
    expect(hook.received).toHaveLength(0)
    emu.control.clock.advance(60_000)
    await emu.control.webhooks.flush()
    expect(JSON.parse(hook.received[0]!.body)).toHaveLength(2)
  })

  it('can send a body with a forged signature, and redeliver a batch byte for byte', async () => {
    await api.post('customer', { DisplayName: 'Twice' })
    await emu.control.webhooks.flush()
    const [delivery] = emu.control.webhooks.deliveries()
    expect(await emu.control.webhooks.redeliver(delivery!.id)).toBe(200)
    expect(hook.received[1]!.body).toBe(hook.received[0]!.body)
    hook.statuses.push(403)
    expect(await emu.control.webhooks.sendRaw('[]', 'forged')).toBe(403)
    expect(hook.received[2]!.headers['intuit-signature']).toBe('forged')
  })
})
