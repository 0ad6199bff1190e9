import { Hono, type Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import type { InvoiceRecord as Invoice, InvoiceStatus } from '../../shared/api/invoices.ts'
import { MarkPaidSchema } from '../../shared/api/invoices.ts'
import type { CustomerRecord as Customer } from '../../shared/api/customers.ts'
import { signEmbedToken } from '../auth/embed-token.ts'
import type { AppEnv } from '../http/context.ts'
import { CreatePaymentSchema } from '../../shared/api/payments.ts'
import { AppError } from '../errors.ts'
import { syncStates } from '../sync/sync-state.ts'
import { DEMO_TENANT, DEMO_USER } from './seed.ts'
import {
  STATUS_LABEL,
  date,
  invoiceDetails,
  isOpen,
  money,
  nextStep,
  sendForm,
  statusPill,
  tour,
} from './views.ts'

/**
 * The demo host app: what a vendor's own product looks like with LedgerLink embedded. Its pages
 * are server-rendered, carry a strict Content-Security-Policy (the widget must work under one),
 * and its own backend route mints the embed token, as a real host backend would. The host's own
 * actions (mark as sent, mark as paid, record a payment) are plain forms calling the same
 * services as the host data API: LedgerLink follows them (a sent invoice is posted, a payment
 * follows its invoice) without the page asking it to. Everything where LedgerLink meets the host
 * stays in this one file (the README points vendors at it); the host's own views are in views.ts.
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

/** A bulk sync of one kind; it links to the history on the settings page for what failed. */
const syncButton = (kind: 'invoices' | 'customers' | 'payments' | 'credit-notes') =>
  html`<ledgerlink-sync-button kind="${kind}" history-url="/demo/settings#history"></ledgerlink-sync-button>`

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

/** What the last action said went wrong (`?error=`), where the page shows it. */
const refusal = (error: string | undefined) => (error ? html`<p class="error" role="alert">${error}</p>` : '')

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

/** The invoice's payments, each with where it stands in the accounting software, and a form for a part payment. */
async function paymentsSection(c: Context<AppEnv>, invoice: Invoice) {
  const { data } = await c.var.services.payments.list(DEMO_TENANT.id, { limit: 200, invoiceId: invoice.id })
  const states = await syncStates(
    c.var.services.db,
    DEMO_TENANT.id,
    'payment',
    data.map((p) => p.id),
  )
  const today = new Date(c.var.services.now()).toISOString().slice(0, 10)
  return html`<section class="card payments" aria-labelledby="payments-heading">
    <h2 id="payments-heading">Payments</h2>
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
    ${
      isOpen(invoice)
        ? html`<form method="post" action="/demo/invoices/${invoice.id}/payments" class="pay">
            <fieldset>
              <legend>Record a part payment</legend>
              <label
                >Amount paid (up to ${money(invoice.amountDue, invoice.currency)})
                <input name="amount" inputmode="decimal" required
              /></label>
              <label>Date <input name="date" type="date" value="${today}" /></label>
              <button type="submit">Record part payment</button>
            </fieldset>
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

type Form = Record<string, unknown>

/**
 * One of the host's own actions on an invoice, posted by a form of its pages: refused cross-site;
 * then back to the page it came from, with what went wrong as its `?error=` (an AppError's words,
 * or those `work` returns).
 */
function invoiceAction(work: (c: Context<AppEnv>, id: string, form: Form) => Promise<string | undefined>) {
  return async (c: Context<AppEnv>) => {
    if (!sameOrigin(c)) return c.text('cross-site request refused', 403)
    const id = c.req.param('id')!
    const form = await c.req.parseBody()
    const status =
      typeof form.status === 'string' && Object.hasOwn(STATUS_LABEL, form.status) ? form.status : ''
    const back =
      form.from === 'list'
        ? `/demo/invoices${status ? `?status=${status}` : ''}`
        : `/demo/invoices/${encodeURIComponent(id)}`
    const failed = (message: string) =>
      c.redirect(`${back}${back.includes('?') ? '&' : '?'}error=${encodeURIComponent(message)}`, 303)
    try {
      const refused = await work(c, id, form)
      if (refused) return failed(refused)
    } catch (err) {
      if (!(err instanceof AppError)) throw err // the error handler logs it and answers `internal`
      return failed(err.message)
    }
    return c.redirect(back, 303)
  }
}

async function allCustomers(c: Context<AppEnv>): Promise<Map<string, Customer>> {
  const { data } = await c.var.services.customers.list(DEMO_TENANT.id, { limit: 200 })
  return new Map(data.map((x) => [x.id, x]))
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

export const demo = new Hono<AppEnv>()
  .use(onPublicOrigin)
  .use(async (c, next) => {
    c.header('Content-Security-Policy', CSP)
    await next()
  })
  .get('/', (c) => c.redirect('/demo/invoices'))
  .get('/invoices', async (c) => {
    const filter = c.req.query('status') as InvoiceStatus | undefined
    const status = filter && Object.hasOwn(STATUS_LABEL, filter) ? filter : undefined
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
            ${syncButton('invoices')}
          </div>
          ${tour} ${refusal(c.req.query('error'))}
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
                    <td class="status">
                      ${statusPill(inv)} ${inv.status === 'draft' ? sendForm(inv, { status }) : ''}
                    </td>
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
    return c.html(
      page(
        invoice.number,
        html`<p><a href="/demo/invoices">← Invoices</a></p>
          <div class="heading">
            <h1>Invoice ${invoice.number} ${statusPill(invoice)}</h1>
            <ledgerlink-invoice-badge invoice-id="${invoice.id}" show-action></ledgerlink-invoice-badge>
          </div>
          ${refusal(c.req.query('error'))} ${nextStep(invoice)} ${invoiceDetails(invoice, customer)}
          ${await paymentsSection(c, invoice)}`,
      ),
    )
  })
  // The host's own actions, as its app would do them; LedgerLink follows (auto-sync on send).
  .post(
    '/invoices/:id/send',
    invoiceAction(async (c, id) => void (await c.var.services.invoices.markSent(DEMO_TENANT.id, id))),
  )
  .post(
    '/invoices/:id/mark-paid',
    invoiceAction(
      async (c, id) =>
        void (await c.var.services.payments.markInvoicePaid(DEMO_TENANT.id, id, MarkPaidSchema.parse({}))),
    ),
  )
  .post(
    '/invoices/:id/payments',
    invoiceAction(async (c, id, form) => {
      // Validated as the host API validates it: the same schema, the same messages.
      const input = CreatePaymentSchema.safeParse({
        invoiceId: id,
        amount: text(form.amount),
        date: text(form.date) || new Date(c.var.services.now()).toISOString().slice(0, 10),
      })
      if (!input.success) return input.error.issues[0]?.message ?? 'Check the amount and date.'
      await c.var.services.payments.create(DEMO_TENANT.id, input.data)
    }),
  )
  .post(
    '/invoices/:id/payments/:paymentId/remove',
    invoiceAction(
      async (c) => void (await c.var.services.payments.remove(DEMO_TENANT.id, c.req.param('paymentId')!)),
    ),
  )
  .get('/settings', (c) =>
    c.html(
      page(
        'Settings',
        html`<h1>Settings</h1>
          <section class="card" aria-labelledby="accounting-heading">
            <h2 id="accounting-heading">Accounting software</h2>
            <p>Send your invoices and payments to Xero, QuickBooks or Sage.</p>
            <ledgerlink-connection></ledgerlink-connection>
          </section>
          <section class="card" aria-labelledby="send-all-heading">
            <h2 id="send-all-heading">Send everything at once</h2>
            <p>
              Invoices go to your accounting software when you mark them as sent, and their payments follow.
              To send what was here before you connected:
            </p>
            <div class="bulk">
              ${syncButton('customers')} ${syncButton('payments')} ${syncButton('credit-notes')}
            </div>
          </section>
          <section class="card wide">
            <!-- The history names itself ("Sync history"): no heading of the page's own above it. -->
            <ledgerlink-sync-history id="history"></ledgerlink-sync-history>
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
