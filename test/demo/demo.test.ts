import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DEMO_INVOICE_COUNT, DEMO_TENANT, seedDemo } from '../../server/demo/seed.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ demo: true })
  await seedDemo(t.services)
})
afterAll(() => t.close())

describe('demo data', () => {
  test('realistic books: 10+ customers, 40+ invoices in GBP, USD and EUR, of every shape', async () => {
    const customers = await t.services.customers.list(DEMO_TENANT.id, { limit: 200 })
    const { data: invoices } = await t.services.invoices.list(DEMO_TENANT.id, { limit: 200 })
    expect(customers.data.length).toBeGreaterThanOrEqual(10)
    expect(invoices).toHaveLength(DEMO_INVOICE_COUNT)
    expect(invoices.length).toBeGreaterThanOrEqual(40)
    expect(new Set(invoices.map((i) => i.currency))).toEqual(new Set(['GBP', 'USD', 'EUR']))
    const statuses = new Set(invoices.map((i) => i.status))
    for (const s of ['draft', 'sent', 'paid'] as const) expect(statuses).toContain(s)
    expect(invoices.some((i) => i.lines.length > 1)).toBe(true)
    expect(invoices.some((i) => i.lines.some((l) => l.discountRate))).toBe(true)
    expect(invoices.some((i) => i.taxTotal !== '0.00')).toBe(true)
    expect(invoices.some((i) => i.status === 'sent' && i.amountPaid !== '0.00')).toBe(true) // part paid
    // every invoice's totals are its lines' sums
    for (const inv of invoices) {
      const cents = (s: string) => BigInt(s.replace('.', ''))
      expect(inv.lines.reduce((sum, l) => sum + cents(l.netAmount) + cents(l.taxAmount), 0n)).toBe(
        cents(inv.total),
      )
    }
  })

  test('seeding twice changes nothing', async () => {
    expect(await seedDemo(t.services)).toBe(false)
    const { data } = await t.services.invoices.list(DEMO_TENANT.id, { limit: 200 })
    expect(data).toHaveLength(DEMO_INVOICE_COUNT)
  })
})

describe('demo host app', () => {
  test('the invoice list shows every invoice with a sync badge and loads the widget script', async () => {
    const res = await t.request('/demo/invoices')
    expect(res.status).toBe(200)
    const page = await res.text()
    expect(page.match(/<ledgerlink-invoice-badge /g)).toHaveLength(DEMO_INVOICE_COUNT)
    expect(page).toContain('<script src="/widget.js" data-token-url="/demo/embed-token" async></script>')
    expect(page).toContain('Brightwater')
    const drafts = await (await t.request('/demo/invoices?status=draft')).text()
    expect(drafts.match(/class="pill draft"/g)?.length).toBeGreaterThan(0)
    expect(drafts).not.toContain('class="pill paid"')
  })

  test('pages carry a strict Content-Security-Policy', async () => {
    const res = await t.request('/demo/invoices')
    const csp = res.headers.get('content-security-policy')!
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toContain('unsafe-eval')
  })

  test('an invoice page shows its lines and totals; an unknown one is 404', async () => {
    const { data } = await t.services.invoices.list(DEMO_TENANT.id, { limit: 1 })
    const inv = data[0]!
    const page = await (await t.request(`/demo/invoices/${inv.id}`)).text()
    expect(page).toContain(inv.number)
    for (const line of inv.lines) expect(page).toContain(line.description)
    expect((await t.request('/demo/invoices/inv_nope')).status).toBe(404)
  })

  test('an invoice awaiting payment takes a payment from its page, and its payments say where they stand', async () => {
    const { data } = await t.services.invoices.list(DEMO_TENANT.id, { limit: 200, status: 'sent' })
    const inv = data.find((i) => i.amountPaid === '0.00')!
    const form = (fields: Record<string, string>, origin?: string) =>
      t.request(`/demo/invoices/${inv.id}/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
        body: new URLSearchParams(fields).toString(),
      })
    expect(await (await t.request(`/demo/invoices/${inv.id}`)).text()).toContain('Record payment')

    const tooMuch = await form({ amount: '999999.00', date: '2026-11-20' })
    expect(tooMuch.status).toBe(303)
    const refused = await (await t.request(tooMuch.headers.get('location')!)).text()
    expect(refused).toContain('still due on invoice')
    const bad = await form({ amount: 'ten', date: '2026-11-20' })
    expect(decodeURIComponent(bad.headers.get('location')!)).toContain('error=')
    expect((await form({ amount: '1.00' }, 'https://evil.example')).status).toBe(403)
    // A browser's own form post under no-referrer: Origin "null", and Sec-Fetch-Site tells.
    const post = (site: string) =>
      t.request(`/demo/invoices/${inv.id}/payments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'null',
          'sec-fetch-site': site,
        },
        body: 'amount=ten',
      })
    expect((await post('cross-site')).status).toBe(403)
    expect((await post('same-origin')).status).toBe(303)

    const ok = await form({ amount: '10.00', date: '2026-11-20' })
    expect(ok.status).toBe(303)
    const { data: payments } = await t.services.payments.list(DEMO_TENANT.id, {
      limit: 10,
      invoiceId: inv.id,
    })
    expect(payments.map((p) => p.amount)).toEqual(['10.00'])
    const page = await (await t.request(`/demo/invoices/${inv.id}`)).text()
    expect(page).toContain('Not in your accounting software') // no connection in this app
    const removed = await t.request(`/demo/invoices/${inv.id}/payments/${payments[0]!.id}/remove`, {
      method: 'POST',
    })
    expect(removed.status).toBe(303)
    expect((await t.services.payments.list(DEMO_TENANT.id, { limit: 10, invoiceId: inv.id })).data).toEqual(
      [],
    )
  })

  test('the settings page holds the connection panel', async () => {
    expect(await (await t.request('/demo/settings')).text()).toContain('<ledgerlink-connection>')
  })

  test('opened on another loopback name than PUBLIC_URL’s, on its port, it goes to PUBLIC_URL', async () => {
    expect(t.config.publicUrl).toBe('http://localhost:3000')
    const typed = await t.request('http://127.0.0.1:3000/demo/settings?tab=1')
    expect(typed.status).toBe(307)
    expect(typed.headers.get('location')).toBe('http://localhost:3000/demo/settings?tab=1')
    const v6 = await t.request('http://[::1]:3000/demo/invoices')
    expect(v6.headers.get('location')).toBe('http://localhost:3000/demo/invoices')
    // Not another name of this machine, or another port: maybe another server; left alone.
    for (const url of ['http://192.168.1.20:3000', 'http://127.0.0.1:4000', 'http://localhost:3000'])
      expect((await t.request(`${url}/demo/settings`)).status).toBe(200)
  })

  test('its backend mints an embed token the BFF accepts, and refuses cross-site requests', async () => {
    const res = await t.request('/demo/embed-token', {
      method: 'POST',
      headers: { origin: 'http://localhost' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const { token } = (await res.json()) as { token: string }
    const session = await t.request('/v1/sessions', { method: 'POST', json: { embedToken: token } })
    expect(session.status).toBe(201)
    expect(await session.json()).toMatchObject({ tenant: { id: DEMO_TENANT.id }, user: { role: 'admin' } })
    const cross = await t.request('/demo/embed-token', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    })
    expect(cross.status).toBe(403)
  })

  test('the widget script is served', async () => {
    const res = await t.request('/widget.js')
    expect(res.headers.get('content-type')).toContain('javascript')
    expect(await res.text()).toContain('ledgerlink-connection')
  })
})
