import { Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import type { InvoiceRecord as Invoice, InvoiceStatus } from '../../shared/api/invoices.ts'
import type { CustomerRecord as Customer } from '../../shared/api/customers.ts'
import { signEmbedToken } from '../auth/embed-token.ts'
import type { AppEnv } from '../http/context.ts'
import { CreatePaymentSchema } from '../../shared/api/payments.ts'
import { AppError } from '../errors.ts'
import { syncStates } from '../sync/sync-state.ts'
import { DEMO_TENANT, DEMO_USER } from './seed.ts'

/**
 * The demo host app: what a vendor's own product looks like with LedgerLink embedded. Its pages
 * are server-rendered, carry a strict Content-Security-Policy (the widget must work under one),
 * and its own backend route mints the embed token, as a real host backend would.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ')

const money = (amount: string, currency: string) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount as unknown as number)
const date = (iso: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(new Date(iso))

function page(title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Brightwater</title>
        <link rel="stylesheet" href="/assets/demo.css" />
        <script src="/widget.js" data-token-url="/demo/embed-token" async></script>
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/demo/invoices"
            ><span class="logo" aria-hidden="true">◆</span> Brightwater</a
          >
          <nav aria-label="Main">
            <a href="/demo/invoices">Invoices</a>
            <a href="/demo/settings">Settings</a>
          </nav>
          <span class="user">${DEMO_USER.name}</span>
        </header>
        <main>${body}</main>
        <footer>Demo host app · LedgerLink is embedded with one script tag</footer>
      </body>
    </html>`
}

const STATUS_LABEL: Record<InvoiceStatus, string> = {
  draft: 'Draft',
  sent: 'Awaiting payment',
  paid: 'Paid',
  void: 'Void',
}
const statusPill = (inv: Invoice) => {
  const part = inv.status === 'sent' && /[1-9]/.test(inv.amountPaid)
  return html`<span class="pill ${inv.status}">${part ? 'Part paid' : STATUS_LABEL[inv.status]}</span>`
}

/** The names a browser may give this machine: they reach the same server, yet are different origins. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The demo opened on another loopback spelling than PUBLIC_URL's, on its port (127.0.0.1:3000 for
 * localhost:3000), goes to PUBLIC_URL's: origins are compared by name, so the consent's returnTo, its popup's messages and
 * the binding cookie only work on that one. Going there keeps every origin check strict, in
 * production too; only names of this machine are redirected, and only on the demo's own pages.
 */
const onPublicOrigin = createMiddleware<AppEnv>(async (c, next) => {
  const here = new URL(c.req.url)
  const home = new URL(c.var.services.config.publicUrl)
  const elsewhere =
    here.port === home.port &&
    here.hostname !== home.hostname &&
    LOOPBACK.has(here.hostname) &&
    LOOPBACK.has(home.hostname)
  if (c.req.method === 'GET' && elsewhere)
    return c.redirect(`${home.origin}${here.pathname}${here.search}`, 307)
  await next()
})

const PAYMENT_STATE: Record<string, string> = {
  not_synced: 'Not in your accounting software',
  pending: 'Sending…',
  synced: 'In your accounting software',
  outdated: 'Changed since it was sent',
  error: 'Not sent',
}

/** The invoice's payments, each with where it stands in the accounting software, and a form for one more. */
async function paymentsSection(c: { var: AppEnv['Variables'] }, invoice: Invoice, error: string | undefined) {
  const { data } = await c.var.services.payments.list(DEMO_TENANT.id, { limit: 200, invoiceId: invoice.id })
  const states = await syncStates(
    c.var.services.db,
    DEMO_TENANT.id,
    'payment',
    data.map((p) => p.id),
  )
  const open = invoice.status === 'sent' && /[1-9]/.test(invoice.amountDue)
  return html`<section class="card payments">
    <h2>Payments</h2>
    ${
      data.length === 0
        ? html`<p>No payments yet.</p>`
        : html`<ul>
            ${data.map((p) => {
              const s = states.get(p.id)
              return html`<li>
                ${date(p.date)} · ${money(p.amount, p.currency)} ·
                <span class="sync ${s?.state ?? ''}">${PAYMENT_STATE[s?.state ?? 'not_synced']}</span>
                ${s?.error ? html`<span class="why">${s.error.message}</span>` : ''}
                <form method="post" action="/demo/invoices/${invoice.id}/payments/${p.id}/remove">
                  <button type="submit" class="link">Remove</button>
                </form>
              </li>`
            })}
          </ul>`
    }
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    ${
      open
        ? html`<form method="post" action="/demo/invoices/${invoice.id}/payments" class="pay">
            <label
              >Amount <input name="amount" inputmode="decimal" value="${invoice.amountDue}" required
            /></label>
            <label>Date <input name="date" type="date" /></label>
            <button type="submit">Record payment</button>
          </form>`
        : ''
    }
  </section>`
}

/**
 * A form post from the demo's own pages. Browsers say so in Sec-Fetch-Site; under the pages'
 * no-referrer policy a form's Origin is "null", so Origin alone cannot tell. A client that sends
 * neither (curl, a test) is no browser carrying someone's cookies.
 */
function sameOrigin(c: { req: { header(name: string): string | undefined; url: string } }) {
  const site = c.req.header('sec-fetch-site')
  if (site) return site === 'same-origin'
  const origin = c.req.header('origin')
  return origin === undefined || origin === new URL(c.req.url).origin
}

async function allCustomers(c: { var: AppEnv['Variables'] }): Promise<Map<string, Customer>> {
  const { data } = await c.var.services.customers.list(DEMO_TENANT.id, { limit: 200 })
  return new Map(data.map((x) => [x.id, x]))
}

export const demo = new Hono<AppEnv>()
  .use(onPublicOrigin)
  .use(async (c, next) => {
    c.header('Content-Security-Policy', CSP)
    await next()
  })
  .get('/', (c) => c.redirect('/demo/invoices'))
  .get('/invoices', async (c) => {
    const filter = c.req.query('status') as InvoiceStatus | undefined
    const status = filter && filter in STATUS_LABEL ? filter : undefined
    const [customers, { data }] = await Promise.all([
      allCustomers(c),
      c.var.services.invoices.list(DEMO_TENANT.id, { limit: 200, status }),
    ])
    const invoices = data.reverse()
    const tab = (value: InvoiceStatus | undefined, label: string) =>
      html`<a
        href="/demo/invoices${value ? `?status=${value}` : ''}"
        aria-current=${status === value ? 'page' : 'false'}
        >${label}</a
      >`
    return c.html(
      page(
        'Invoices',
        html`<div class="heading">
            <h1>Invoices</h1>
            <ledgerlink-sync-button></ledgerlink-sync-button>
          </div>
          <nav class="tabs" aria-label="Filter by status">
            ${tab(undefined, 'All')} ${tab('draft', 'Drafts')} ${tab('sent', 'Awaiting payment')}
            ${tab('paid', 'Paid')}
          </nav>
          <table class="invoices">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Customer</th>
                <th scope="col">Issued</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">Total</th>
                <th scope="col">Accounting</th>
              </tr>
            </thead>
            <tbody>
              ${invoices.map(
                (inv) =>
                  html`<tr>
                    <td><a href="/demo/invoices/${inv.id}">${inv.number}</a></td>
                    <td>${customers.get(inv.customerId)?.name ?? ''}</td>
                    <td>${date(inv.issueDate)}</td>
                    <td>${date(inv.dueDate)}</td>
                    <td>${statusPill(inv)}</td>
                    <td class="num">${money(inv.total, inv.currency)}</td>
                    <td><ledgerlink-invoice-badge invoice-id="${inv.id}"></ledgerlink-invoice-badge></td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <p class="count">${invoices.length} invoices</p>`,
      ),
    )
  })
  .get('/invoices/:id', async (c) => {
    const id = c.req.param('id')
    const invoice = await c.var.services.invoices.get(DEMO_TENANT.id, id).catch(() => null)
    if (!invoice)
      return c.html(
        page(
          'Not found',
          html`<h1>No such invoice</h1>
            <p><a href="/demo/invoices">Back to invoices</a></p>`,
        ),
        404,
      )
    const customer = (await allCustomers(c)).get(invoice.customerId)
    const m = (a: string) => money(a, invoice.currency)
    return c.html(
      page(
        invoice.number,
        html`<p><a href="/demo/invoices">← Invoices</a></p>
          <div class="heading">
            <h1>Invoice ${invoice.number} ${statusPill(invoice)}</h1>
            <ledgerlink-invoice-badge invoice-id="${invoice.id}" show-action></ledgerlink-invoice-badge>
          </div>
          <dl class="meta">
            <div>
              <dt>Customer</dt>
              <dd>${customer?.name ?? ''}</dd>
            </div>
            <div>
              <dt>Issued</dt>
              <dd>${date(invoice.issueDate)}</dd>
            </div>
            <div>
              <dt>Due</dt>
              <dd>${date(invoice.dueDate)}</dd>
            </div>
            <div>
              <dt>Reference</dt>
              <dd>${invoice.reference ?? '—'}</dd>
            </div>
          </dl>
          <table class="lines">
            <thead>
              <tr>
                <th scope="col">Description</th>
                <th scope="col">Category</th>
                <th scope="col" class="num">Qty</th>
                <th scope="col" class="num">Unit price</th>
                <th scope="col" class="num">Discount</th>
                <th scope="col">Tax</th>
                <th scope="col" class="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              ${invoice.lines.map(
                (l) =>
                  html`<tr>
                    <td>${l.description}</td>
                    <td>${l.category}</td>
                    <td class="num">${l.quantity}</td>
                    <td class="num">${m(l.unitPrice)}</td>
                    <td class="num">${l.discountRate ? `${l.discountRate}%` : ''}</td>
                    <td>${l.taxCode ?? ''} ${l.taxRate ? `(${l.taxRate}%)` : ''}</td>
                    <td class="num">${m(l.netAmount)}</td>
                  </tr>`,
              )}
            </tbody>
            <tfoot>
              <tr>
                <th colspan="6" scope="row">Subtotal</th>
                <td class="num">${m(invoice.subtotal)}</td>
              </tr>
              <tr>
                <th colspan="6" scope="row">Tax</th>
                <td class="num">${m(invoice.taxTotal)}</td>
              </tr>
              <tr class="total">
                <th colspan="6" scope="row">Total</th>
                <td class="num">${m(invoice.total)}</td>
              </tr>
              <tr>
                <th colspan="6" scope="row">Paid</th>
                <td class="num">${m(invoice.amountPaid)}</td>
              </tr>
              <tr>
                <th colspan="6" scope="row">Due</th>
                <td class="num">${m(invoice.amountDue)}</td>
              </tr>
            </tfoot>
          </table>
          ${invoice.notes ? html`<p class="notes">${invoice.notes}</p>` : ''}
          ${await paymentsSection(c, invoice, c.req.query('error'))}`,
      ),
    )
  })
  // The host records a payment as its own app would (a form of its own); LedgerLink posts it.
  .post('/invoices/:id/payments', async (c) => {
    const id = c.req.param('id')
    if (!sameOrigin(c)) return c.text('cross-site request refused', 403)
    const form = await c.req.parseBody()
    const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
    const back = `/demo/invoices/${encodeURIComponent(id)}`
    const failed = (message: string) => c.redirect(`${back}?error=${encodeURIComponent(message)}`, 303)
    // Validated as the host API validates it: the same schema, the same messages.
    const input = CreatePaymentSchema.safeParse({
      invoiceId: id,
      amount: text(form.amount),
      date: text(form.date) || new Date(c.var.services.now()).toISOString().slice(0, 10),
    })
    if (!input.success) return failed(input.error.issues[0]?.message ?? 'Check the amount and date.')
    try {
      await c.var.services.payments.create(DEMO_TENANT.id, input.data)
    } catch (err) {
      return failed(err instanceof AppError ? err.message : 'The payment was not recorded.')
    }
    return c.redirect(back, 303)
  })
  .post('/invoices/:id/payments/:paymentId/remove', async (c) => {
    if (!sameOrigin(c)) return c.text('cross-site request refused', 403)
    await c.var.services.payments.remove(DEMO_TENANT.id, c.req.param('paymentId')).catch(() => null)
    return c.redirect(`/demo/invoices/${encodeURIComponent(c.req.param('id'))}`, 303)
  })
  .get('/settings', (c) =>
    c.html(
      page(
        'Settings',
        html`<h1>Settings</h1>
          <section class="card">
            <h2>Accounting software</h2>
            <p>Send your invoices and payments to Xero, QuickBooks or Sage.</p>
            <ledgerlink-connection></ledgerlink-connection>
          </section>`,
      ),
    ),
  )
  // The host's own backend mints the embed token for its signed-in user (here, the demo user).
  // A real host checks its own session here; any host must refuse cross-site requests to this route.
  .post('/embed-token', async (c) => {
    const origin = c.req.header('origin')
    if (origin && origin !== new URL(c.req.url).origin)
      return c.json({ error: 'cross-site request refused' }, 403)
    const token = await signEmbedToken(c.var.services.config.embedSecret, {
      ...DEMO_USER,
      tenant: DEMO_TENANT.id,
      tenant_name: DEMO_TENANT.name,
    })
    c.header('Cache-Control', 'no-store')
    return c.json({ token })
  })
