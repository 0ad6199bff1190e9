import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { UpdateInvoiceSchema } from '../../shared/api/invoices.ts'
import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import { DEMO_TENANT } from '../../server/demo/seed.ts'
import { providerAmountDue, providerPayments } from '../fixtures/provider-payments.ts'
import { providerInvoices } from '../fixtures/provider-invoices.ts'
import { startProduct } from '../helpers/server.ts'
import { connectBrowser } from './browser.ts'
import {
  badge,
  connect,
  demoPage,
  makeInvoice,
  mapFromPanel,
  mappingSteps,
  setAutoSync,
  type Product,
  untilState,
} from './widget-flow.ts'

// The browser test, on each provider: connect, map, mark an invoice sent and watch its
// badge go Pending then Synced without a reload; edit it (Outdated), send the update (Synced, and
// the emulator holds it); an unmapped category is an Error naming it, mapped from the panel and
// retried; a part payment reaches the invoice at the emulator.
let browser: Browser
let product: Product
let worker: ReturnType<Product['services']['sync']['worker']> | null = null
beforeAll(async () => {
  product = await startProduct()
  browser = await connectBrowser()
})
beforeEach(async () => {
  await product.services.connections.disconnect(DEMO_TENANT.id).catch(() => undefined)
})
afterAll(async () => {
  await worker?.stop()
  await browser?.close()
  await product?.close()
})

/** The sync workers of the product, as `npm start` runs them; held while a test looks at Pending. */
function startWorker() {
  if (worker) return
  worker = product.services.sync.worker({ owner: 'e2e', pollMs: 250 })
  worker.start()
}
async function stopWorker() {
  await worker?.stop()
  worker = null
}

/** The emulator's copy of one of our invoices, by number: its id and total in minor units. */
function held(provider: ProviderId, org: string, number: string) {
  const found = providerInvoices(product.emulators.handles, provider, org).find((i) => i.number === number)
  if (!found) return null
  const { handles } = product.emulators
  const total =
    provider === 'xero'
      ? Math.round(handles.xero!.control.invoices(org).find((i) => i.InvoiceID === found.id)!.Total * 100)
      : provider === 'quickbooks'
        ? Math.round(
            Number(handles.quickbooks!.control.company(org).get('Invoice', found.id)!.TotalAmt) * 100,
          )
        : handles.sage!.control.business(org).artefacts.get(found.id)!.totalMinor
  return { id: found.id, totalMinor: total }
}

describe.each(['xero', 'quickbooks', 'sage'] as const)('the widget in the demo, on %s', (provider) => {
  const name = PROVIDERS[provider].name
  const prefix = { xero: 'XE', quickbooks: 'QB', sage: 'SG' }[provider]

  test('connect, map, send: Pending then Synced; edit: Outdated; send again: Synced; pay part: at the emulator', async () => {
    await stopWorker()
    const invoice = await makeInvoice(product, provider, `${prefix}-E2E-1`)
    const settings = await demoPage(browser, product, '/demo/settings')
    const org = await connect(settings, product, provider)
    await mapFromPanel(settings, mappingSteps(provider))

    // The host marks a draft sent from its own page; the workers are held, so Pending shows.
    const page = await demoPage(browser, product, `/demo/invoices/${invoice.id}`)
    await untilState(page, invoice.id, 'not_synced')
    await page.getByRole('button', { name: 'Mark as sent' }).click()
    await untilState(page, invoice.id, 'pending')
    startWorker()
    // No reload: the badge polls while something is pending.
    await untilState(page, invoice.id, 'synced')
    const first = held(provider, org, invoice.number)
    expect(first?.totalMinor).toBe(Math.round(Number(invoice.total) * 100))
    await expect
      .poll(() => page.locator('ledgerlink-live').getByRole('status').textContent())
      .toContain(`1 invoice synced to ${name}.`)

    // With auto-sync off (the panel's switch), an edit waits for someone to send it: Outdated.
    // (With it on, the edit goes by itself: records/invoices.ts.)
    await setAutoSync(settings, false)
    await stopWorker()
    const line = invoice.lines[0]!
    await product.services.invoices.update(
      DEMO_TENANT.id,
      invoice.id,
      UpdateInvoiceSchema.parse({
        lines: [
          {
            id: line.id,
            description: line.description,
            quantity: '3',
            unitPrice: line.unitPrice,
            category: line.category,
            ...(line.taxCode ? { taxCode: line.taxCode, taxRate: line.taxRate } : {}),
          },
        ],
      }),
    )
    await page.reload()
    await untilState(page, invoice.id, 'outdated')
    const b = badge(page, invoice.id)
    await b.getByRole('button', { name: `Send update to ${name}` }).click()
    await b
      .getByRole('group')
      .getByRole('button', { name: `Send update to ${name}` })
      .click()
    await untilState(page, invoice.id, 'pending')
    startWorker()
    await untilState(page, invoice.id, 'synced')
    const updated = await product.services.invoices.get(DEMO_TENANT.id, invoice.id)
    const second = held(provider, org, invoice.number)
    expect(second?.id).toBe(first?.id) // the same invoice there, updated: not a second one
    expect(second?.totalMinor).toBe(Math.round(Number(updated.total) * 100))
    expect(
      providerInvoices(product.emulators.handles, provider, org).filter((i) => i.number === invoice.number),
    ).toHaveLength(1)

    // A part payment from the host's page reaches the invoice at the emulator (auto-sync on again).
    await setAutoSync(settings, true)
    await settings.close()
    const part = (Number(updated.total) / 4).toFixed(2)
    await page.getByLabel(/^Amount paid/).fill(part)
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Record part payment' }).click(),
    ])
    const paid = () =>
      providerPayments(product.emulators.handles, provider, org)
        .filter((p) => p.invoiceId === second!.id)
        .map((p) => p.amountMinor)
    await expect.poll(paid, { timeout: 15_000 }).toEqual([Math.round(Number(part) * 100)])
    await page.reload()
    await page.getByText('In your accounting software').waitFor()
    expect(providerAmountDue(product.emulators.handles, provider, org, second!.id)).toBe(
      second!.totalMinor - Math.round(Number(part) * 100),
    )
    // Paid in part, the invoice is still synced: a payment is not an edit of it.
    await untilState(page, invoice.id, 'synced')
    // "Open in …" opens it in the provider's books (the emulator's page), with the payment on it.
    const open = badge(page, invoice.id).getByRole('link', { name: `Open in ${name}` })
    const [books] = await Promise.all([page.context().waitForEvent('page'), open.click()])
    await books.waitForLoadState()
    const shown = (await books.locator('body').textContent()) ?? ''
    expect(shown).toContain(invoice.number)
    expect(shown.replace(/,/g, '')).toContain(part)
    await books.close()
    expect(page.problems).toEqual([])
    await page.close()
  })

  test('an unmapped category: Error naming it, mapped from the panel, retried, Synced', async () => {
    startWorker()
    // A category nothing maps, and no default account: the push is refused before any call.
    const category = `Travel ${prefix}`
    const invoice = await makeInvoice(product, provider, `${prefix}-E2E-2`, { category })
    const settings = await demoPage(browser, product, '/demo/settings')
    const org = await connect(settings, product, provider)
    await mapFromPanel(settings, mappingSteps(provider).slice(1)) // all but the category
    const page = await demoPage(browser, product, `/demo/invoices/${invoice.id}`)
    await page.getByRole('button', { name: 'Mark as sent' }).click()
    await untilState(page, invoice.id, 'error')
    const b = badge(page, invoice.id)
    await expect.poll(() => b.locator('.badge').textContent()).toContain(category)
    expect(held(provider, org, invoice.number)).toBeNull()

    // Fixed where the bookkeeper is told to: the panel's mapping editor.
    await settings.reload()
    await settings
      .locator('ledgerlink-connection')
      .getByRole('button', { name: `Disconnect from ${name}` })
      .waitFor()
    await mapFromPanel(settings, [{ name: category }])
    await settings.close()

    await b.getByRole('button', { name: 'Retry' }).first().click()
    await b.getByRole('group').getByRole('button', { name: 'Retry' }).click()
    await untilState(page, invoice.id, 'synced')
    expect(held(provider, org, invoice.number)).not.toBeNull()
    expect(page.problems).toEqual([])
    await page.close()
  })
})
