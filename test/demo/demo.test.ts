import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DEMO_INVOICE_COUNT, DEMO_TENANT, seedDemo } from '../../server/demo/seed.ts'
import { money } from '../../server/demo/views.ts'
import { syncStates } from '../../server/sync/sync-state.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
/** A sync button of that kind linking to the settings page's history (however the markup wraps). */
const syncButton = (kind: string) =>
  new RegExp(`<ledgerlink-sync-button\\s+kind="${kind}"\\s+history-url="/demo/settings#history"\\s*>`)
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
    // Not a status, though `in` would say so: the whole list.
    const odd = await t.request('/demo/invoices?status=constructor')
    expect((await odd.text()).match(/<ledgerlink-invoice-badge /g)).toHaveLength(DEMO_INVOICE_COUNT)
  })

  test('the list has the invoices’ sync button, and "Mark as sent" on drafts only', async () => {
    const page = await (await t.request('/demo/invoices')).text()
    expect(page).toMatch(syncButton('invoices'))
    const { data } = await t.services.invoices.list(DEMO_TENANT.id, { limit: 200 })
    const drafts = data.filter((i) => i.status === 'draft')
    expect(drafts.length).toBeGreaterThan(0)
    const forms = [...page.matchAll(/action="\/demo\/invoices\/(inv_[^/"]+)\/send"/g)].map((m) => m[1])
    expect(new Set(forms)).toEqual(new Set(drafts.map((i) => i.id)))
    // Each button names its invoice for a screen reader (the rows' buttons all read "Mark as sent").
    for (const inv of drafts) expect(page).toContain(`<span class="sr-only"> ${inv.number}</span>`)
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
    const before = await (await t.request(`/demo/invoices/${inv.id}`)).text()
    expect(before).toContain('<legend>Record a part payment</legend>')
    expect(before).toContain('Record part payment</button>')

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
    const remove = (origin?: string) =>
      t.request(`/demo/invoices/${inv.id}/payments/${payments[0]!.id}/remove`, {
        method: 'POST',
        headers: origin ? { origin } : {},
      })
    expect((await remove('https://evil.example')).status).toBe(403)
    const removed = await remove()
    expect(removed.status).toBe(303)
    expect(removed.headers.get('location')).toBe(`/demo/invoices/${inv.id}`)
    expect((await t.services.payments.list(DEMO_TENANT.id, { limit: 10, invoiceId: inv.id })).data).toEqual(
      [],
    )
  })

  test('an invoice page offers the next step: "Mark as sent" for a draft, "Mark as paid" while due', async () => {
    const { data } = await t.services.invoices.list(DEMO_TENANT.id, { limit: 200 })
    const pageOf = async (inv: (typeof data)[number]) => (await t.request(`/demo/invoices/${inv.id}`)).text()
    const draft = await pageOf(data.find((i) => i.status === 'draft')!)
    expect(draft).toMatch(/action="\/demo\/invoices\/inv_[^"]+\/send"/)
    expect(draft).not.toContain('Mark as paid')
    expect(draft).not.toContain('Record a part payment')
    const due = data.find((i) => i.status === 'sent' && i.amountPaid !== '0.00')!
    const open = await pageOf(due)
    expect(open).toContain('Mark as paid</button>')
    expect(open).toContain(`Records the ${money(due.amountDue, due.currency)} still due as paid today.`)
    expect(open).toContain('Record a part payment')
    expect(open).not.toContain('Mark as sent')
    expect(open).toContain(`<ledgerlink-invoice-badge invoice-id="${due.id}" show-action>`)
    const paid = await pageOf(data.find((i) => i.status === 'paid')!)
    for (const action of ['Mark as sent', 'Mark as paid', 'Record a part payment'])
      expect(paid).not.toContain(action)
  })

  test('"Mark as sent" sends a draft (from the list, back to it), refuses cross-site, says why it cannot', async () => {
    const { data } = await t.services.invoices.list(DEMO_TENANT.id, { limit: 200, status: 'draft' })
    const [fromList, fromPage, refused] = data
    const send = (id: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      t.request(`/demo/invoices/${id}/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields).toString(),
      })
    expect((await send(refused!.id, {}, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await send(refused!.id, {}, { origin: 'null', 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect((await t.services.invoices.get(DEMO_TENANT.id, refused!.id)).status).toBe('draft')

    const listed = await send(
      fromList!.id,
      { from: 'list', status: 'draft' },
      { 'sec-fetch-site': 'same-origin' },
    )
    expect(listed.status).toBe(303)
    expect(listed.headers.get('location')).toBe('/demo/invoices?status=draft')
    expect((await t.services.invoices.get(DEMO_TENANT.id, fromList!.id)).status).toBe('sent')
    const own = await send(fromPage!.id, {})
    expect(own.headers.get('location')).toBe(`/demo/invoices/${fromPage!.id}`)
    expect((await t.services.invoices.get(DEMO_TENANT.id, fromPage!.id)).status).toBe('sent')

    // A paid invoice cannot be sent: the page says so in the service's words.
    const paid = (await t.services.invoices.list(DEMO_TENANT.id, { limit: 1, status: 'paid' })).data[0]!
    const no = await send(paid.id, { from: 'list' })
    expect(no.status).toBe(303)
    const location = no.headers.get('location')!
    expect(location).toMatch(/^\/demo\/invoices\?error=/)
    expect(await (await t.request(location)).text()).toContain(
      '<p class="error" role="alert">A paid invoice cannot be sent.</p>',
    )
  })

  test('"Mark as paid" records one payment of the whole amount due, today; refused cross-site', async () => {
    const { data } = await t.services.invoices.list(DEMO_TENANT.id, { limit: 200, status: 'sent' })
    const inv = data.find((i) => i.amountPaid !== '0.00' && i.amountDue !== '0.00')! // part paid
    const pay = (headers: Record<string, string> = {}) =>
      t.request(`/demo/invoices/${inv.id}/mark-paid`, { method: 'POST', headers })
    expect((await pay({ origin: 'https://evil.example' })).status).toBe(403)
    const before = await t.services.payments.list(DEMO_TENANT.id, { limit: 10, invoiceId: inv.id })

    const ok = await pay({ 'sec-fetch-site': 'same-origin' })
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe(`/demo/invoices/${inv.id}`)
    const after = await t.services.payments.list(DEMO_TENANT.id, { limit: 10, invoiceId: inv.id })
    const added = after.data.filter((p) => !before.data.some((b) => b.id === p.id))
    expect(added).toHaveLength(1)
    expect(added[0]).toMatchObject({
      amount: inv.amountDue,
      date: new Date(t.now()).toISOString().slice(0, 10),
    })
    expect(await t.services.invoices.get(DEMO_TENANT.id, inv.id)).toMatchObject({
      status: 'paid',
      amountDue: '0.00',
    })

    const again = await pay()
    expect(decodeURIComponent(again.headers.get('location')!)).toBe(
      `/demo/invoices/${inv.id}?error=This invoice is already paid.`,
    )
  })

  test('the settings page holds the connection panel, the sync buttons and the history at #history', async () => {
    const page = await (await t.request('/demo/settings')).text()
    expect(page).toContain('<ledgerlink-connection>')
    expect(page).toContain('<ledgerlink-sync-history id="history"></ledgerlink-sync-history>')
    for (const kind of ['customers', 'payments', 'credit-notes']) expect(page).toMatch(syncButton(kind))
  })

  test('its stylesheet hides no LedgerLink element (a placeholder keeps their place until defined)', async () => {
    const css = await (await t.request('/assets/demo.css')).text()
    const rules = [...css.matchAll(/([^{}]*ledgerlink-[^{}]*)\{([^}]*)\}/g)]
    expect(rules.length).toBeGreaterThan(0)
    for (const [, selector, body] of rules) {
      expect(body, selector).not.toMatch(/display:\s*none|visibility:\s*hidden/)
      expect(selector, selector).toContain(':not(:defined)')
    }
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

  test('the widget is served: the loader, and the core module it imports (readable cross-origin)', async () => {
    const loader = await t.request('/widget.js')
    expect(loader.headers.get('content-type')).toContain('javascript')
    expect(await loader.text()).toContain('widget/core.js')
    const core = await t.request('/widget/core.js')
    expect(core.headers.get('access-control-allow-origin')).toBe('*')
    expect(core.headers.get('cache-control')).toBe('public, max-age=300')
    // The core imports the chunk that holds the badges, named by its content: cached for good.
    const base = /from"\.\/([\w-]+\.js)"/.exec(await core.text())?.[1]
    expect(base).toMatch(/^base-[\w-]+\.js$/)
    const chunk = await t.request(`/widget/${base}`)
    expect(chunk.status).toBe(200)
    expect(chunk.headers.get('access-control-allow-origin')).toBe('*')
    expect(chunk.headers.get('cache-control')).toContain('immutable')
    expect(await chunk.text()).toContain('ledgerlink-invoice-badge')
    // Nothing but the built modules: no other file of dist/, no path out of it.
    for (const path of ['/widget/..%2Fwidget.js', '/widget/nope-123.js', '/widget/core.mjs'])
      expect((await t.request(path)).status).toBe(404)
  })
})

describe('demo host app, connected', () => {
  let c: TestApp
  beforeAll(async () => {
    c = await createTestApp({ demo: true })
    await seedDemo(c.services)
    const at = c.now()
    await c.db.run(
      `INSERT INTO connections (id, tenant_id, provider, organisation_id, organisation_name, status, connected_by_id,
         connected_by_name, connected_at, last_checked_at, created_at, updated_at)
       VALUES ('con_demo', ?1, 'xero', 'org-demo', 'Demo Ltd', 'active', 'demo-admin', 'Morgan Reyes', ?2, ?2, ?2, ?2)`,
      [DEMO_TENANT.id, at],
    )
  })
  afterAll(() => c.close())

  const jobsOf = (kind: string, id: string) =>
    c.db.all<{ kind: string; state: string }>(
      `SELECT j.kind, j.state FROM jobs j JOIN job_records r ON r.job_id = j.id
       WHERE j.tenant_id = ? AND r.record_kind = ? AND r.record_id = ?`,
      [DEMO_TENANT.id, kind, id],
    )

  test('"Mark as sent" is what posts it: the invoice is sent and its push is queued', async () => {
    const draft = (await c.services.invoices.list(DEMO_TENANT.id, { limit: 1, status: 'draft' })).data[0]!
    expect(await jobsOf('invoice', draft.id)).toEqual([])
    const res = await c.request(`/demo/invoices/${draft.id}/send`, { method: 'POST' })
    expect(res.status).toBe(303)
    expect((await c.services.invoices.get(DEMO_TENANT.id, draft.id)).status).toBe('sent')
    expect(await jobsOf('invoice', draft.id)).toEqual([{ kind: 'push_invoices', state: 'queued' }])
    // The host page shows the payment's and the badge's way there, not the demo's own guess.
    const states = await syncStates(c.db, DEMO_TENANT.id, 'invoice', [draft.id])
    expect(states.get(draft.id)?.state).toBe('pending')
  })

  test('"Mark as paid" queues the payment’s push after its invoice', async () => {
    const { data } = await c.services.invoices.list(DEMO_TENANT.id, { limit: 200, status: 'sent' })
    const inv = data.find((i) => i.amountPaid === '0.00')!
    expect((await c.request(`/demo/invoices/${inv.id}/mark-paid`, { method: 'POST' })).status).toBe(303)
    const [payment] = (await c.services.payments.list(DEMO_TENANT.id, { limit: 10, invoiceId: inv.id })).data
    expect(payment?.amount).toBe(inv.amountDue)
    expect((await jobsOf('payment', payment!.id)).map((j) => j.state)).toEqual(['queued'])
    expect(await (await c.request(`/demo/invoices/${inv.id}`)).text()).toContain('Sending…')
  })
})
