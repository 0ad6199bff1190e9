/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- provider JSON is read loosely; assertions pin its shape */
import { timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { XeroEmulator } from './index.ts'
import { signXeroWebhook, startXeroEmulator } from './index.ts'
import { AU, UK, api, connect, line } from './testing.ts'

const KEY = 'webhook-signing-key'

/** A receiver as Xero requires: verify the raw body, 200 with no body, or 401. */
async function receiver(mode: 'correct' | 'always-200') {
  const received: { body: string; signature: string }[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const signature = String(req.headers['x-xero-signature'] ?? '')
      const expected = Buffer.from(signXeroWebhook(body, KEY))
      const valid =
        expected.length === Buffer.from(signature).length && timingSafeEqual(expected, Buffer.from(signature))
      if (valid) received.push({ body, signature })
      res.statusCode = valid || mode === 'always-200' ? 200 : 401
      res.end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/xero`
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) }
}

let emu: XeroEmulator
let hook: Awaited<ReturnType<typeof receiver>>
beforeEach(async () => {
  emu = await startXeroEmulator()
  hook = await receiver('correct')
})
afterEach(async () => {
  await emu.close()
  await hook.close()
})

describe('intent to receive (PROVIDERS 1.11)', () => {
  it('passes when the receiver answers 200 to good signatures and 401 to bad ones', async () => {
    emu.control.webhooks.subscribe({ url: hook.url, key: KEY })
    const itr = await emu.control.webhooks.intentToReceive()
    expect(itr.passed).toBe(true)
    expect(itr.deliveries.map((d) => [d.signed, d.status])).toEqual([
      [true, 200],
      [false, 401],
      [true, 200],
      [false, 401],
    ])
    expect(JSON.parse(itr.deliveries[0]!.body)).toEqual({
      events: [],
      firstEventSequence: 0,
      lastEventSequence: 0,
      entropy: expect.stringMatching(/^[A-Z]{20}$/),
    })
    expect(emu.control.webhooks.subscription()?.status).toBe('OK')
  })

  it('fails a receiver that accepts bad signatures, and then sends no events', async () => {
    const lax = await receiver('always-200')
    emu.control.webhooks.subscribe({ url: lax.url, key: KEY })
    expect((await emu.control.webhooks.intentToReceive()).passed).toBe(false)
    const token = (await connect(emu)).access_token
    await api(emu, token, 'PUT', '/Contacts', { body: { Contacts: [{ Name: 'Quiet Ltd' }] } })
    expect(await emu.control.webhooks.flush()).toEqual({ delivered: 0, ok: false })
    await lax.close()
  })
})

describe('events', () => {
  it('sends thin, signed INVOICE and CONTACT events with sequence numbers; a payment is an INVOICE UPDATE', async () => {
    emu.control.webhooks.subscribe({ url: hook.url, key: KEY })
    await emu.control.webhooks.intentToReceive()
    const token = (await connect(emu)).access_token
    const created = await api(emu, token, 'PUT', '/Invoices', {
      body: {
        Invoices: [
          { Type: 'ACCREC', Contact: { Name: 'Hooked Ltd' }, Status: 'AUTHORISED', LineItems: [line()] },
        ],
      },
    })
    const invoice = created.body.Invoices[0]
    emu.control.payInvoice(UK, invoice.InvoiceID)
    expect(await emu.control.webhooks.flush()).toEqual({ delivered: 3, ok: true })
    const payload = JSON.parse(hook.received.at(-1)!.body)
    expect(payload).toMatchObject({ firstEventSequence: 1, lastEventSequence: 3 })
    expect(
      payload.events.map(
        (e: { eventCategory: string; eventType: string }) => `${e.eventCategory} ${e.eventType}`,
      ),
    ).toEqual(['CONTACT CREATE', 'INVOICE CREATE', 'INVOICE UPDATE'])
    expect(payload.events[1]).toEqual({
      resourceUrl: `${emu.url}/api.xro/2.0/Invoices/${invoice.InvoiceID}`,
      resourceId: invoice.InvoiceID,
      tenantId: UK,
      tenantType: 'ORGANISATION',
      eventCategory: 'INVOICE',
      eventType: 'CREATE',
      eventDateUtc: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/),
    })
  })

  it('carries Type and Status on CREDITNOTE events', async () => {
    emu.control.webhooks.subscribe({ url: hook.url, key: KEY, categories: ['CREDITNOTE'] })
    await emu.control.webhooks.intentToReceive()
    const token = (await connect(emu)).access_token
    await api(emu, token, 'PUT', '/CreditNotes', {
      tenant: AU,
      body: { CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { Name: 'Refund Pty' }, LineItems: [line()] }] },
    })
    await emu.control.webhooks.flush()
    const event = JSON.parse(hook.received.at(-1)!.body).events[0]
    expect(event).toMatchObject({
      eventCategory: 'CREDITNOTE',
      eventType: 'CREATE',
      data: { Type: 'ACCRECCREDIT', Status: 'DRAFT' },
    })
  })

  it('keeps failed events queued, retries them, and disables the subscription after 24 hours of failure', async () => {
    emu.control.webhooks.subscribe({ url: hook.url, key: KEY })
    await emu.control.webhooks.intentToReceive()
    await hook.close()
    const token = (await connect(emu)).access_token
    await api(emu, token, 'PUT', '/Contacts', { body: { Contacts: [{ Name: 'Lost Ltd' }] } })
    expect((await emu.control.webhooks.flush()).ok).toBe(false)
    expect(emu.control.webhooks.pending()).toBe(1)
    emu.control.advanceClock(23 * 60 * 60_000)
    await emu.control.webhooks.flush()
    expect(emu.control.webhooks.subscription()?.status).toBe('OK')
    emu.control.advanceClock(60 * 60_000)
    await emu.control.webhooks.flush()
    expect(emu.control.webhooks.subscription()?.status).toBe('DISABLED')
    hook = await receiver('correct') // afterEach closes it
  })
})
