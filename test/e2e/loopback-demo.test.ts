import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startProduct } from '../helpers/server.ts'
import { connectBrowser } from './browser.ts'

// Fresh-clone point 3: PUBLIC_URL says localhost (npm start's default) and the newcomer types
// 127.0.0.1 instead. Both reach the server; Connect must work all the same.
let browser: Browser
let product: Awaited<ReturnType<typeof startProduct>>
beforeAll(async () => {
  product = await startProduct({ publicHost: 'localhost' })
  browser = await connectBrowser()
})
afterAll(async () => {
  await browser?.close()
  await product?.close()
})

const live = (page: Page) => page.locator('ledgerlink-live').getByRole('status')

describe('the demo opened at 127.0.0.1 while PUBLIC_URL says localhost', () => {
  test('goes to PUBLIC_URL, and Connect to Xero connects', async () => {
    const page = await browser.newPage()
    page.context().setDefaultTimeout(10_000)
    const typed = product.url.replace('//localhost:', '//127.0.0.1:')
    await page.goto(`${typed}/demo/settings?tab=accounting`)
    expect(page.url()).toBe(`${product.url}/demo/settings?tab=accounting`)

    await page.getByRole('button', { name: 'Connect to Xero' }).click()
    await page.getByRole('button', { name: 'Allow access' }).click()
    await page.waitForURL(/\/demo\/settings/)
    await expect.poll(() => live(page).textContent()).toContain('Connected to Xero')
    expect(await page.locator('ledgerlink-connection').getByRole('alert').count()).toBe(0)
    await page.close()
  })
})
