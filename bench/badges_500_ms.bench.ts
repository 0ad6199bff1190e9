// badges_500_ms and status_requests_500: a host page of 500 invoice rows, each with its
// <ledgerlink-invoice-badge>, in Chromium (Debian's, as the browser tests find it). Measured from
// navigation start to every badge showing its state (its shadow root holds `.badge[data-state]`),
// against the same page without the widget's script tag: to its 500 rows rendered and its load
// event. The page is on a host origin of its own, the widget and the API on the BFF's (so the
// modules and the API go through CORS, as on a vendor's product); a fresh browser context each
// visit, so every visit fetches the widget as a first visit does. status_requests_500 counts the
// page's POST /v1/sync/status requests until every badge showed its state. Medians of the runs.
import { serve } from '@hono/node-server'
import { mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { CreateInvoiceSchema, type InvoiceRecord } from '../shared/api/invoices.ts'
import { STATUS_BATCH_MAX } from '../shared/sync-state.ts'
import { createApp } from '../server/app.ts'
import { signEmbedToken } from '../server/auth/embed-token.ts'
import { testConfig } from '../server/config.ts'
import { openDb } from '../server/db/client.ts'
import { migrate } from '../server/db/migrate.ts'
import { createTenantsRepo } from '../server/db/repos/tenants.ts'
import { createLogger } from '../server/logging/logger.ts'
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/browser.ts'
import { fiveStates } from './five-states.ts'
import { report, round } from './lib.ts'

const RUNS = 7
const BADGES = STATUS_BATCH_MAX // 500: what one status request answers
const TENANT = 'bench-badges'

/** The host app: the invoice list (with or without the widget) and the route minting embed tokens. */
let bff: { url: string; embedSecret: string } | null = null
const host = createServer((req, res) => {
  if (req.url === '/token' && req.method === 'POST') {
    void signEmbedToken(bff!.embedSecret, {
      sub: 'bench',
      tenant: TENANT,
      role: 'admin',
      name: 'Bench',
    }).then((token) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(JSON.stringify({ token }))
    })
    return
  }
  if (req.url === '/invoices' || req.url === '/invoices?widget=0') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    return res.end(invoicePage(!req.url.endsWith('widget=0')))
  }
  res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end()
})
await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
const hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`

// The BFF, in this process, on a temporary file, allowing the host's origin.
const dir = mkdtempSync(join(tmpdir(), 'll-bench-badges-'))
const config = testConfig({
  database: { url: `file:${join(dir, 'bench.db')}`, busyTimeoutMs: 5000, authToken: undefined },
  allowedOrigins: [hostOrigin],
})
const db = openDb(config.database)
await migrate(db)
const devNull = openSync('/dev/null', 'w')
const log = createLogger({ level: 'info', sink: (line) => void writeSync(devNull, line + '\n') })
const { app, services } = createApp({ config, db, log })
const invoices = await seedInvoices()
const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
})
bff = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, embedSecret: config.embedSecret }

/**
 * 500 sent invoices, made before the connection (so none is queued by sending it), then a fifth
 * each synced, outdated, failed, pending and never synced: every state a badge shows.
 */
async function seedInvoices() {
  await createTenantsRepo(db, Date.now).upsert(TENANT, 'Bench Plumbing')
  const customer = await services.customers.create(TENANT, { name: 'Harbour Lights Café' })
  const made: InvoiceRecord[] = []
  for (let i = 0; i < BADGES; i++)
    made.push(
      await services.invoices.create(
        TENANT,
        CreateInvoiceSchema.parse({
          number: `INV-${1000 + i}`,
          customerId: customer.id,
          currency: 'GBP',
          issueDate: '2026-11-01',
          dueDate: '2026-11-30',
          status: 'sent',
          lines: [{ description: 'Boiler service', quantity: '1', unitPrice: '85.00', taxRate: '20' }],
        }),
      ),
    )
  const at = Date.now()
  await db.run(
    `INSERT INTO connections (id, tenant_id, provider, organisation_id, organisation_name, status, connected_by_id,
       connected_by_name, connected_at, last_checked_at, created_at, updated_at)
     VALUES ('con_badges', ?1, 'xero', 'org-badges', 'Bench Ltd', 'active', 'bench', 'Bench', ?2, ?2, ?2, ?2)`,
    [TENANT, at],
  )
  await fiveStates(db, services, { tenantId: TENANT, connectionId: 'con_badges', now: at }, made)
  return made
}

function invoicePage(widget: boolean) {
  const rows = invoices
    .map(
      (inv) =>
        `<tr><td><a href="/invoices/${inv.id}">${inv.number}</a></td><td>Harbour Lights Café</td>` +
        `<td>${inv.issueDate}</td><td class="num">£${inv.total}</td>` +
        `<td><ledgerlink-invoice-badge invoice-id="${inv.id}"></ledgerlink-invoice-badge></td></tr>`,
    )
    .join('\n')
  const script = widget
    ? `<script src="${bff!.url}/widget.js" data-base-url="${bff!.url}" data-token-url="/token" async></script>`
    : ''
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Invoices</title>${script}</head>
    <body><h1>Invoices</h1><table><thead><tr><th>Number</th><th>Customer</th><th>Issued</th><th>Total</th>
    <th>Accounting</th></tr></thead><tbody>${rows}</tbody></table></body></html>`
}

/** Milliseconds from navigation start until `done` holds (checked every frame), and the status requests made. */
async function visit(browser: Browser, widget: boolean) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems: string[] = []
  let statusRequests = 0
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url() === `${bff!.url}/v1/sync/status`) statusRequests++
  })
  page.on('pageerror', (e) => problems.push(e.message))
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
  await page.goto(`${hostOrigin}/invoices${widget ? '' : '?widget=0'}`, { waitUntil: 'commit' })
  const done = await page.waitForFunction(
    ({ n, widget }) => {
      const badges = document.querySelectorAll('ledgerlink-invoice-badge')
      if (badges.length !== n) return false
      if (!widget) return document.readyState === 'complete' && performance.now()
      for (const badge of badges) if (!badge.shadowRoot?.querySelector('.badge[data-state]')) return false
      return performance.now()
    },
    { n: BADGES, widget },
    { polling: 'raf', timeout: 60_000 },
  )
  const ms = (await done.jsonValue()) as number
  const requests = statusRequests
  const states = widget
    ? await page.evaluate(() =>
        [...document.querySelectorAll('ledgerlink-invoice-badge')].map(
          (b) => b.shadowRoot?.querySelector('.badge')?.getAttribute('data-state') ?? '',
        ),
      )
    : []
  // Where the time went: when the core module, the session and the status answer arrived.
  const arrived = await page.evaluate(() => {
    const at = (end: string) =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.name.endsWith(end))
        .map((e) => (e as PerformanceResourceTiming).responseEnd)
        .at(-1) ?? 0
    return { core: at('/widget/core.js'), session: at('/v1/sessions'), status: at('/v1/sync/status') }
  })
  await context.close()
  if (problems.length) throw new Error(`the page reported: ${problems.join('; ')}`)
  return { ms, requests, states, arrived }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true })
try {
  const first = await visit(browser, true) // warm-up: Chromium, the server's first requests
  await visit(browser, false)
  const shown = new Set(first.states)
  if (first.states.length !== BADGES || shown.size !== 5)
    throw new Error(`the badges should show all five states, they showed: ${[...shown].join(', ')}`)
  const runs = { widget: [] as number[], plain: [] as number[], requests: [] as number[] }
  const arrivals: { core: number; session: number; status: number }[] = []
  // Interleaved, so that a noisy moment on the machine falls on both alike.
  for (let r = 0; r < RUNS; r++) {
    const withWidget = await visit(browser, true)
    runs.widget.push(withWidget.ms)
    runs.requests.push(withWidget.requests)
    arrivals.push(withWidget.arrived)
    runs.plain.push((await visit(browser, false)).ms)
  }
  const ms = (xs: number[]) => xs.map((x) => Math.round(x)).join(' ')
  console.log(`with the widget (ms): ${ms(runs.widget)}; without: ${ms(runs.plain)}`)
  console.log(`status requests a visit: ${runs.requests.join(' ')}`)
  const when = (k: keyof (typeof arrivals)[number]) => Math.round(median(arrivals.map((a) => a[k])))
  console.log(
    `medians (ms from navigation start): core.js ${when('core')}, session ${when('session')}, ` +
      `status answer ${when('status')}, every badge shown ${Math.round(median(runs.widget))}`,
  )
  report({
    name: 'badges_500_ms',
    value: round(median(runs.widget)),
    unit: 'ms',
    baseline: round(median(runs.plain)),
    goal: 'value < baseline + 500 ms: 500 badges show their states within half a second of the page',
  })
  report({
    name: 'status_requests_500',
    value: median(runs.requests),
    unit: 'requests',
    baseline: 1,
    goal: 'value = 1: one batched status request for the whole page',
  })
} finally {
  await browser.close()
  server.close()
  host.close()
  db.close()
  rmSync(dir, { recursive: true, force: true })
}
