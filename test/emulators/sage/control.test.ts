import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedIds, standardLine } from './fixtures.ts'
import { SAGE_DEMO_IDS, startSageEmulator, type SageEmulator } from './index.ts'
import { apiClient, connect } from './testing.ts'

let emu: SageEmulator
let token: string
beforeEach(async () => {
  emu = await startSageEmulator({ port: 0 })
  token = (await connect(emu)).access_token
})
afterEach(() => emu.close())

const control = (path: string, body?: unknown) =>
  fetch(`${emu.url}/__control${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })

describe('request log', () => {
  it('records method, path, query, headers, body and the business of each call', async () => {
    emu.control.clearRequests()
    await apiClient(
      emu,
      token,
      SAGE_DEMO_IDS.brightwater,
    )('/contacts', { method: 'POST', body: { contact: { name: 'Logged', contact_type_ids: ['CUSTOMER'] } } })
    await apiClient(emu, token)('/contacts?page=1')
    const [post, get] = emu.control.requests()
    expect(post).toMatchObject({
      method: 'POST',
      path: '/v3.1/contacts',
      organisation: SAGE_DEMO_IDS.brightwater,
      status: 201,
    })
    expect(post!.headers['x-business']).toBe(SAGE_DEMO_IDS.brightwater)
    expect(JSON.parse(post!.body)).toEqual({ contact: { name: 'Logged', contact_type_ids: ['CUSTOMER'] } })
    expect(get).toMatchObject({ query: { page: '1' }, organisation: SAGE_DEMO_IDS.hartley })
  })
})

describe('HTTP control API under /__control', () => {
  it('advances the clock, so an access token expires', async () => {
    expect((await control('/clock/advance', { ms: 300_000 })).status).toBe(200)
    expect((await apiClient(emu, token)('/contacts')).status).toBe(401)
  })

  it('forces 429s, expires tokens and reads the log', async () => {
    await control('/throttle', { count: 1 })
    expect((await apiClient(emu, token)('/contacts')).status).toBe(429)
    const log = (await (await control('/requests')).json()) as { path: string; status: number }[]
    expect(log.at(-1)).toMatchObject({ path: '/v3.1/contacts', status: 429 })
    await control('/expire-access-tokens', {})
    expect((await apiClient(emu, token)('/contacts')).status).toBe(401)
  })

  it('records a payment made in Sage', async () => {
    const ids = seedIds(emu)
    const api = apiClient(emu, token, SAGE_DEMO_IDS.hartley)
    const invoice = await (
      await api('/sales_invoices', {
        method: 'POST',
        body: {
          sales_invoice: {
            contact_id: ids.contact('ACME001'),
            date: '2026-11-02',
            invoice_lines: [standardLine(ids.ledger(4000))],
          },
        },
      })
    ).json()
    const res = await control('/payments', {
      businessId: SAGE_DEMO_IDS.hartley,
      invoiceId: invoice.id,
      amount: 20,
    })
    expect(res.status).toBe(201)
    expect((await (await api(`/sales_invoices/${invoice.id}`)).json()).outstanding_amount).toBe(100)

    const payment = (await res.json()) as { id: string }
    const cleared = `/businesses/${SAGE_DEMO_IDS.hartley}/payments/${payment.id}/cleared`
    expect((await control(cleared, { cleared: true })).status).toBe(200)
    expect((await api(`/contact_payments/${payment.id}`, { method: 'DELETE' })).status).toBe(422)
    expect(
      (await control(`/businesses/${SAGE_DEMO_IDS.hartley}/payments/nope/cleared`, { cleared: true })).status,
    ).toBe(400)
  })

  it('answers 400 with a message for a request it cannot carry out', async () => {
    const res = await control('/lead-business', {
      userId: SAGE_DEMO_IDS.sam,
      businessId: SAGE_DEMO_IDS.hartley,
    })
    expect(res.status).toBe(400)
  })
})

describe('standalone start', () => {
  it('serves on a fixed port', async () => {
    const probe = await startSageEmulator()
    const port = probe.port
    await probe.close()
    const fixed = await startSageEmulator({ port })
    try {
      expect(fixed.url).toBe(`http://127.0.0.1:${port}`)
      expect((await fetch(`${fixed.url}/v3.1/businesses`)).status).toBe(401)
    } finally {
      await fixed.close()
    }
  })
})
