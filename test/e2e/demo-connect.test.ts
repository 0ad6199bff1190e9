import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { DEMO_TENANT } from '../../server/demo/seed.ts'
import { startProduct } from '../helpers/server.ts'
import { connectBrowser } from './browser.ts'
import { consentIn, demoPage, type TrackedPage } from './widget-flow.ts'

// The browser test: on /demo, connect each provider through its emulator's consent page,
// see the panel say so, disconnect, and see the provider lose the grant.
let browser: Browser
let product: Awaited<ReturnType<typeof startProduct>>
beforeAll(async () => {
  product = await startProduct()
  browser = await connectBrowser()
})
// Each test starts from a demo with nothing connected, whatever the one before it left.
beforeEach(async () => {
  await product.services.connections.disconnect(DEMO_TENANT.id).catch(() => undefined)
})
afterAll(async () => {
  await browser?.close()
  await product?.close()
})

/** The demo's settings page, recording our own failed requests and script errors (`problems`). */
async function settings(): Promise<TrackedPage> {
  const page = await demoPage(browser, product, '/demo/settings')
  await page.getByRole('button', { name: 'Connect to Xero' }).waitFor()
  return page
}

const live = (page: Page) => page.locator('ledgerlink-live').getByRole('status')

async function disconnect(page: Page, providerName: string) {
  await page.getByRole('button', { name: `Disconnect from ${providerName}` }).click()
  const dialog = page.getByRole('dialog', { name: `Disconnect from ${providerName}?` })
  await dialog.getByRole('button', { name: 'Disconnect' }).click()
  await page.getByRole('button', { name: 'Connect to Xero' }).waitFor()
  await expect.poll(() => live(page).textContent()).toContain(`Disconnected from ${providerName}`)
}

describe('connecting from the demo in a real browser', () => {
  test('Xero: consent in the same window, connected, then disconnected (the connection is gone in Xero)', async () => {
    const page = await settings()
    await page.getByRole('button', { name: 'Connect to Xero' }).click()
    await page.waitForURL(/\/identity\/connect\/authorize/)
    expect(await page.evaluate(() => window.opener !== null)).toBe(false) // no popup for Xero (XR-C02)
    await page.getByRole('button', { name: 'Allow access' }).click()
    await page.waitForURL(/\/demo\/settings/)
    const xero = product.emulators.handles.xero!.control
    const org = xero.organisation(xero.connections()[0]!.tenantId).profile.Name
    await page.locator('ledgerlink-connection').getByText(org).first().waitFor()
    await expect.poll(() => live(page).textContent()).toContain(`Connected to Xero: ${org}`)
    expect(new URL(page.url()).searchParams.has('ledgerlink_oauth')).toBe(false) // tidied away

    await disconnect(page, 'Xero')
    expect(product.emulators.handles.xero!.control.connections()).toEqual([])
    expect(page.problems).toEqual([])
    await page.close()
  })

  test('Xero with two organisations: same window, back to the panel, choose one, connected', async () => {
    const page = await settings()
    await page.getByRole('button', { name: 'Connect to Xero' }).click()
    await page.waitForURL(/\/identity\/connect\/authorize/)
    const boxes = page.getByRole('checkbox')
    for (const box of (await boxes.all()).slice(0, 2)) await box.check()
    await page.getByRole('button', { name: 'Allow access' }).click()
    await page.waitForURL(/\/demo\/settings/)
    const panel = page.locator('ledgerlink-connection')
    const choice = panel.getByRole('radio').nth(1)
    await choice.waitFor()
    expect(await panel.getByRole('radio').count()).toBe(2)
    const org = (await choice.locator('xpath=..').textContent())!.trim()
    await choice.check()
    await panel.getByRole('button', { name: /^Use this/ }).click()
    await expect.poll(() => live(page).textContent()).toContain(`Connected to Xero: ${org}`)
    expect(new URL(page.url()).searchParams.has('ledgerlink_secret')).toBe(false) // tidied away
    await disconnect(page, 'Xero')
    await page.close()
  })

  test('QuickBooks: consent in a popup, connected, then disconnected (the grant is revoked)', async () => {
    const page = await settings()
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Connect to QuickBooks' }).click(),
    ])
    await consentIn(popup, 'Connect')
    await expect
      .poll(() => live(page).textContent(), { timeout: 10_000 })
      .toContain('Connected to QuickBooks: Larkspur Landscaping LLC')
    await disconnect(page, 'QuickBooks')
    const revoked = product.emulators.handles
      .quickbooks!.control.requests()
      .filter((r) => r.path.endsWith('/tokens/revoke'))
    expect(revoked).toHaveLength(1)
    await page.close()
  })

  test('Sage: consent in a popup, choose the business, connected, then disconnected', async () => {
    const page = await settings()
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Connect to Sage' }).click(),
    ])
    await consentIn(popup, 'Allow')
    const panel = page.locator('ledgerlink-connection')
    const choice = panel.getByRole('radio').first()
    await choice.waitFor()
    const business = (await choice.locator('xpath=..').textContent())!.trim()
    await choice.check()
    await panel.getByRole('button', { name: /^Use this/ }).click()
    await expect
      .poll(() => live(page).textContent(), { timeout: 10_000 })
      .toContain(`Connected to Sage Accounting: ${business}`)
    await disconnect(page, 'Sage Accounting')
    const revoked = product.emulators.handles
      .sage!.control.requests()
      .filter((r) => r.path.endsWith('/revoke'))
    expect(revoked).toHaveLength(1)
    await page.close()
  })
})
