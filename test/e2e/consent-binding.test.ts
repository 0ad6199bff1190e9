import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import { startProduct } from '../helpers/server.ts'
import { connectBrowser } from './browser.ts'
import { startHostApp } from './host-app.ts'

// Security finding 3, in two browsers: an admin of one tenant starts a consent and sends its link
// to an admin of another tenant, who approves on the provider's own page. Nothing may connect.
let browser: Browser
let host: Awaited<ReturnType<typeof startHostApp>>
let product: Awaited<ReturnType<typeof startProduct>>
beforeAll(async () => {
  host = await startHostApp()
  product = await startProduct({ env: { ALLOWED_ORIGINS: host.origin } })
  host.serve({ url: product.url, embedSecret: product.services.config.embedSecret })
  browser = await connectBrowser()
})
afterAll(async () => {
  await browser?.close()
  await product?.close()
  await host?.close()
})

/** A browser of its own (cookies, windows), signed in to the host app as an admin of `tenant`. */
async function signedIn(tenant: string, user: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext()
  context.setDefaultTimeout(10_000)
  const page = await context.newPage()
  await page.goto(`${host.origin}/signin?tenant=${tenant}&user=${user}`)
  await page.getByRole('button', { name: 'Connect to Xero' }).waitFor()
  return { context, page }
}

/** The attacker clicks Connect but keeps the link to the consent instead of following it. */
async function startAndKeepLink(context: BrowserContext, page: Page, provider: ProviderId) {
  let link: string | null = null
  await context.route(`${product.url}/v1/oauth/begin**`, (route) => {
    link = route.request().url()
    return route.abort()
  })
  await page.getByRole('button', { name: PROVIDERS[provider].connectLabel }).click()
  await expect.poll(() => link).toBeTruthy()
  return link!
}

const status = (tenant: string) => product.services.connections.status(tenant)

describe.each([
  { provider: 'xero' as const, mode: 'redirect', allow: 'Allow access' },
  { provider: 'quickbooks' as const, mode: 'popup', allow: 'Connect' },
])('a consent started by one tenant and approved by another ($provider, $mode)', ({ provider, allow }) => {
  test('connects neither tenant', async () => {
    const attacker = await signedIn(`mallory-${provider}`, 'mallory')
    const link = await startAndKeepLink(attacker.context, attacker.page, provider)

    const victim = await signedIn(`victim-${provider}`, 'vera')
    await victim.page.goto(link)
    await victim.page.getByRole('button', { name: allow, exact: true }).click()
    // Back from the provider: our callback has run (a redirect comes on to the host page).
    await victim.page.waitForURL((u) => !u.toString().includes('/connect'))
    expect((await status(`mallory-${provider}`)).connection).toBeNull()

    if (provider === 'xero') {
      // The victim's own widget is handed the consent: it is not theirs, so it is refused and let go.
      const alert = victim.page.locator('ledgerlink-connection').getByRole('alert')
      await expect.poll(() => alert.textContent()).toContain('was not started here')
      expect(product.emulators.handles.xero!.control.connections()).toEqual([])
    }
    for (const tenant of [`mallory-${provider}`, `victim-${provider}`])
      expect(await status(tenant)).toEqual({ connection: null, pendingChoice: null })
    await attacker.context.close()
    await victim.context.close()
  })
})
