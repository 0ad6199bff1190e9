import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CreateInvoiceSchema } from '../../shared/api/invoices.ts'
import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import { DEMO_TENANT } from '../../server/demo/seed.ts'
import { providerInvoices } from '../fixtures/provider-invoices.ts'
import { startProduct } from '../helpers/server.ts'
import { connectBrowser } from './browser.ts'
import {
  LINE,
  badge,
  connect,
  demoPage,
  mapFromPanel,
  mappingSteps,
  spoken,
  untilState,
  type Product,
} from './widget-flow.ts'

// The issue's bulk sync in a real browser, on each provider, after one invoice posted by hand from
// its badge: "Sync invoices" says what it is about to send (skipping that one), shows its progress, and ends with a notification; the emulator then holds each invoice
// once. Each provider gets a product of its own with an empty demo tenant, so the run is exactly
// the invoices made here.
//
// Sage takes one invoice a request at 100 requests a minute (shared/PROVIDERS.md 3.2), so 200
// invoices would take more than two minutes of real time: it runs 60, under one minute's budget.
const COUNT: Record<ProviderId, number> = { xero: 200, quickbooks: 200, sage: 60 }
const CUSTOMERS = 8

let browser: Browser
beforeAll(async () => {
  browser = await connectBrowser()
})
afterAll(async () => {
  await browser?.close()
})

/** `count` sent invoices across a few customers, with auto-sync off so that nothing goes yet. */
async function sentInvoices(product: Product, provider: ProviderId, count: number) {
  const { services } = product
  await services.sync.settings.update(DEMO_TENANT.id, { autoSyncOnSend: false }, 'e2e')
  const customers = []
  for (let c = 0; c < CUSTOMERS; c++)
    customers.push(await services.customers.create(DEMO_TENANT.id, { name: `Bulk customer ${c + 1}` }))
  const line = LINE[provider]
  const numbers: string[] = []
  for (let i = 0; i < count; i++) {
    const number = `BULK-${String(i + 1).padStart(4, '0')}`
    numbers.push(number)
    await services.invoices.create(
      DEMO_TENANT.id,
      CreateInvoiceSchema.parse({
        number,
        customerId: customers[i % CUSTOMERS]!.id,
        currency: line.currency,
        issueDate: '2026-11-01',
        dueDate: '2026-11-30',
        status: 'sent',
        lines: [
          {
            description: 'Callout and labour',
            quantity: '1',
            unitPrice: `${40 + (i % 17)}.50`,
            category: line.category,
            ...(line.taxCode ? { taxCode: line.taxCode, taxRate: line.taxRate } : {}),
          },
        ],
      }),
    )
  }
  return numbers
}

describe.each(['xero', 'quickbooks', 'sage'] as const)('bulk sync from the demo, on %s', (provider) => {
  let product: Product
  beforeAll(async () => {
    product = await startProduct({ demo: 'empty' })
  })
  afterAll(async () => {
    await product?.close()
  })

  test(`Sync invoices: what it will send, progress, then a notification; ${COUNT[provider]} invoices there once`, async () => {
    const name = PROVIDERS[provider].name
    const numbers = await sentInvoices(product, provider, COUNT[provider])
    const settings = await demoPage(browser, product, '/demo/settings')
    const org = await connect(settings, product, provider)
    await mapFromPanel(settings, mappingSteps(provider))
    await settings.close()

    // One of them posted by hand first, from its badge (auto-sync is off): "Post to …", confirmed.
    const worker = product.services.sync.worker({ owner: 'e2e-bulk', pollMs: 250 })
    const first = (await product.services.invoices.list(DEMO_TENANT.id, { limit: 1 })).data[0]!
    const one = await demoPage(browser, product, `/demo/invoices/${first.id}`)
    await untilState(one, first.id, 'not_synced')
    const label = PROVIDERS[provider].postLabel
    await badge(one, first.id).getByRole('button', { name: label }).click()
    await badge(one, first.id).getByRole('group').getByRole('button', { name: label }).click()
    await untilState(one, first.id, 'pending')
    worker.start()
    await untilState(one, first.id, 'synced')
    await worker.stop()
    await one.close()
    const rest = COUNT[provider] - 1

    const page = await demoPage(browser, product, '/demo/invoices')
    const button = page.locator('ledgerlink-sync-button[kind="invoices"]')
    await button.getByRole('button', { name: 'Sync invoices' }).click()
    // It says what it is about to send before anything goes: not the one already there.
    const question = `Send ${rest} invoices and the ${CUSTOMERS - 1} customers they need to ${name}?`
    await button.getByText(question).waitFor()
    expect(providerInvoices(product.emulators.handles, provider, org)).toHaveLength(1)

    // The workers are held until the progress shows, so the bar is seen before the run ends.
    await button.getByRole('button', { name: 'Start' }).click()
    const bar = button.getByRole('progressbar')
    await bar.waitFor()
    expect(await bar.getAttribute('max')).toBe(String(rest))
    await button.getByText(`0 of ${rest} · ${rest} remaining`).waitFor()
    worker.start()
    try {
      const ended = `${rest} invoices synced to ${name}.`
      await button.getByText(ended).waitFor({ timeout: 60_000 })
      await expect.poll(() => spoken(page)).toContain(ended)
    } finally {
      await worker.stop()
    }
    const held = providerInvoices(product.emulators.handles, provider, org).map((i) => i.number)
    expect(held.sort()).toEqual(numbers)
    // The badges on the page caught up with the run.
    await expect
      .poll(() =>
        page
          .locator('ledgerlink-invoice-badge .badge[data-state="synced"]')
          .count()
          .then((n) => n >= Math.min(COUNT[provider], 200)),
      )
      .toBe(true)
    expect(page.problems).toEqual([])
    await page.close()
  })
})
