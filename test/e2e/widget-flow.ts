import type { Browser, Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import { CreateInvoiceSchema, type InvoiceRecord } from '../../shared/api/invoices.ts'
import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import { DEMO_TENANT } from '../../server/demo/seed.ts'
import { LINE } from '../fixtures/bulk-tenant.ts'
import type { startProduct } from '../helpers/server.ts'

/**
 * What the widget's browser tests share: the demo product, a page that records every failed
 * request and script error of our own origin, connecting each provider through its emulator's
 * consent page, mapping from the panel, and invoices made as the host's backend makes them.
 */
export type Product = Awaited<ReturnType<typeof startProduct>>

export { LINE }

export interface TrackedPage extends Page {
  problems: string[]
}

/** A page of the demo that records our own failed requests, CSP violations and script errors. */
export async function demoPage(browser: Browser, product: Product, path: string): Promise<TrackedPage> {
  const page = (await browser.newPage()) as TrackedPage
  page.context().setDefaultTimeout(15_000)
  page.problems = []
  page.on(
    'response',
    (r) =>
      r.url().startsWith(product.url) && r.status() >= 400 && page.problems.push(`${r.status()} ${r.url()}`),
  )
  page.on(
    'console',
    (m) =>
      m.type() === 'error' &&
      /Content Security Policy|Failed to fetch/i.test(m.text()) &&
      page.problems.push(m.text()),
  )
  page.on('pageerror', (e) => page.problems.push(e.message))
  await page.goto(`${product.url}${path}`)
  return page
}

/** What the page's one live region says now. */
export const spoken = (page: Page) => page.locator('ledgerlink-live').getByRole('status').textContent()

/** Clicks a consent button in the popup; the popup may close (its job done) before the click returns. */
export async function consentIn(popup: Page, button: string) {
  await popup
    .getByRole('button', { name: button, exact: true })
    .click()
    .catch((err: unknown) => {
      if (!popup.isClosed()) throw err
    })
  await expect.poll(() => popup.isClosed(), { timeout: 15_000 }).toBe(true)
}

/** Connects the demo to `provider` from the settings page, as an admin does; answers the organisation's id. */
export async function connect(page: Page, product: Product, provider: ProviderId): Promise<string> {
  const panel = page.locator('ledgerlink-connection')
  const button = panel.getByRole('button', { name: PROVIDERS[provider].connectLabel })
  if (provider === 'xero') {
    await button.click()
    await page.waitForURL(/\/identity\/connect\/authorize/)
    await page.getByRole('button', { name: 'Allow access' }).click()
    await page.waitForURL(/\/demo\/settings/)
  } else {
    const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()])
    await consentIn(popup, provider === 'quickbooks' ? 'Connect' : 'Allow')
    if (provider === 'sage') {
      await panel.getByRole('radio').first().check()
      await panel.getByRole('button', { name: /^Use this/ }).click()
    }
  }
  await panel.getByRole('button', { name: `Disconnect from ${PROVIDERS[provider].name}` }).waitFor()
  const row = await product.db.get<{ organisation_id: string }>(
    "SELECT organisation_id FROM connections WHERE tenant_id = ? AND status = 'active'",
    [DEMO_TENANT.id],
  )
  return row!.organisation_id
}

/** A mapping to make: the entry's name, and which entry of the chart to choose (else its suggestion). */
export interface MapStep {
  name: string | RegExp
  option?: RegExp
}

/**
 * In the panel's mapping editor, makes each mapping as an admin does: the chart's suggestion
 * ("Use …"), QuickBooks' "Create …" of an item, or a search and a choice in the menu; then saves.
 */
export async function mapFromPanel(page: Page, steps: readonly MapStep[]) {
  const panel = page.locator('ledgerlink-connection')
  const open = panel.getByRole('button', { name: 'Account mappings' })
  if ((await open.getAttribute('aria-expanded')) !== 'true') await open.click()
  await panel.getByRole('button', { name: 'Save mappings' }).waitFor()
  let changed = 0
  const creates: Locator[] = []
  for (const { name, option } of steps) {
    const items = await panel.getByRole('listitem', { name }).all()
    if (items.length === 0) {
      const found = await panel
        .getByRole('listitem')
        .evaluateAll((els) => els.map((el) => el.textContent?.slice(0, 80)))
      throw new Error(`no mapping named ${String(name)} among:\n${found.join('\n')}`)
    }
    for (const item of items) {
      // Made already: mappings outlive a reconnect to the same organisation.
      if (await item.getByText('Mapped', { exact: true }).count()) continue
      const use = item.getByRole('button', { name: /^Use / })
      const create = item.getByRole('button', { name: /^Create / })
      if (!option && (await use.count())) await use.click()
      else if (!option && (await create.count())) {
        creates.push(create) // after the save: a new item posts to the category's saved account
        continue
      } else {
        const select = item.locator('select')
        const labels = (await select.locator('option').allTextContents()).filter((l) => !l.endsWith('…'))
        const label = option ? labels.find((l) => option.test(l)) : labels[0]
        if (!label)
          throw new Error(`no ${String(option)} to choose for ${String(name)} among ${labels.join(', ')}`)
        await item.getByRole('searchbox', { name: /^Search / }).fill(label.split(' ')[0]!)
        await select.selectOption({ label })
      }
      changed++
    }
  }
  if (changed > 0) {
    await panel.getByRole('button', { name: 'Save mappings' }).click()
    await expect.poll(() => spoken(page)).toContain('Mappings saved')
  }
  for (const create of creates) {
    await create.click() // made and mapped at once
    await expect
      .poll(async () => ((await create.count()) ? await panel.locator('.panel').textContent() : 'made'))
      .toBe('made')
  }
}

/** What a provider's line needs mapped: its category, its tax code, and where payments go. */
export function mappingSteps(provider: ProviderId): MapStep[] {
  if (provider === 'sage')
    return [
      { name: 'Callout', option: /^Sales Type A/ },
      { name: /^S \(/, option: /^Standard/ },
      { name: 'Payments received' },
    ]
  if (provider === 'quickbooks') return [{ name: 'Design' }, { name: 'Payments received' }]
  return [{ name: 'Labour' }, { name: /^VAT20 / }, { name: 'Payments received' }]
}

/** An invoice of the demo tenant, made as the host's backend makes one (a draft unless told). */
export async function makeInvoice(
  product: Product,
  provider: ProviderId,
  number: string,
  over: { category?: string; status?: 'draft' | 'sent'; unitPrice?: string } = {},
): Promise<InvoiceRecord> {
  const { services } = product
  // A customer of its own: one the provider already holds in another currency could not take it.
  const customer = await services.customers.create(DEMO_TENANT.id, { name: `Harbour Lights ${number}` })
  const line = LINE[provider]
  return services.invoices.create(
    DEMO_TENANT.id,
    CreateInvoiceSchema.parse({
      number,
      customerId: customer.id,
      currency: line.currency,
      issueDate: '2026-11-01',
      dueDate: '2026-11-30',
      status: over.status ?? 'draft',
      lines: [
        {
          description: 'Callout and labour',
          quantity: '2',
          unitPrice: over.unitPrice ?? '60.00',
          category: over.category ?? line.category,
          ...(line.taxCode ? { taxCode: line.taxCode, taxRate: line.taxRate } : {}),
        },
      ],
    }),
  )
}

/** The badge of an invoice on the page (the first, when the page shows it twice). */
export const badge = (page: Page, invoiceId: string) =>
  page.locator(`ledgerlink-invoice-badge[invoice-id="${invoiceId}"]`).first()

/** Where the badge says its invoice stands: not_synced, pending, synced, outdated, error. */
export const badgeState = (page: Page, invoiceId: string) =>
  badge(page, invoiceId)
    .locator('.badge')
    .getAttribute('data-state', { timeout: 2_000 })
    .catch(() => null)

/** Waits until the badge shows `state`; fails with what the badge says instead. */
export async function untilState(page: Page, invoiceId: string, state: string, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs
  let last: string | null = null
  while (Date.now() < end) {
    last = await badgeState(page, invoiceId)
    if (last === state) return
    await page.waitForTimeout(100)
  }
  const text = await badge(page, invoiceId)
    .locator('.badge')
    .textContent({ timeout: 1000 })
    .catch(() => '?')
  throw new Error(`the badge of ${invoiceId} stayed ${last} (not ${state}): “${text}”`)
}

/** Turns "Send invoices when they are marked as sent" on or off in the panel's settings. */
export async function setAutoSync(page: Page, on: boolean) {
  const panel = page.locator('ledgerlink-connection')
  const open = panel.getByRole('button', { name: 'Sync settings' })
  if ((await open.getAttribute('aria-expanded')) !== 'true') await open.click()
  await panel.getByRole('switch', { name: 'Send invoices when they are marked as sent' }).setChecked(on)
  await expect.poll(() => spoken(page)).toContain('Sync settings saved')
}
