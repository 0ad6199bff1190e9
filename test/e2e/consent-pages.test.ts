import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startAllEmulators } from '../emulators/all.ts'
import { DEMO_TENANT_IDS } from '../emulators/xero/index.ts'
import { connectBrowser } from './browser.ts'

// The emulators' consent pages, used in a real browser: a redirect URI of our own on loopback
// records where Allow and Cancel send the browser.
let browser: Browser
let receiver: Server
let callbackUrl: string
let emu: Awaited<ReturnType<typeof startAllEmulators>>
const received: URL[] = []

beforeAll(async () => {
  receiver = createServer((req, res) => {
    received.push(new URL(req.url!, callbackUrl))
    res.end('<!doctype html><title>back</title>ok')
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback`
  emu = await startAllEmulators({ redirectUris: [callbackUrl] })
  browser = await connectBrowser()
})
afterAll(async () => {
  await browser?.close()
  await emu?.close()
  receiver?.close()
})

function authorize(base: string, params: Record<string, string>) {
  const url = new URL(base)
  for (const [k, v] of Object.entries({
    response_type: 'code',
    redirect_uri: callbackUrl,
    state: 'st-e2e',
    ...params,
  }))
    url.searchParams.set(k, v)
  return url.toString()
}

async function decide(url: string, button: RegExp, before?: (page: Page) => Promise<void>) {
  const page = await browser.newPage()
  try {
    await page.goto(url)
    await before?.(page)
    await Promise.all([
      page.waitForURL((u) => u.toString().startsWith(callbackUrl)),
      page.getByRole('button', { name: button }).click(),
    ])
    return new URL(page.url())
  } finally {
    await page.close()
  }
}

describe('consent pages in a real browser', () => {
  test('Xero: choose organisations, Allow access, back with a code', async () => {
    const url = authorize(emu.env.XERO_AUTHORIZE_URL!, {
      client_id: emu.env.XERO_CLIENT_ID!,
      scope: 'offline_access accounting.invoices',
    })
    const back = await decide(url, /allow access/i, async (page) => {
      await page.getByLabel(/Redwood Analytics/).check()
    })
    expect(back.searchParams.get('code')).toBeTruthy()
    expect(back.searchParams.get('state')).toBe('st-e2e')
    const tenants = emu.handles.xero!.control.connections().map((c) => c.tenantId)
    expect(tenants).toEqual(expect.arrayContaining([DEMO_TENANT_IDS.uk, DEMO_TENANT_IDS.us]))
  })

  test('Xero: Cancel comes back with access_denied', async () => {
    const url = authorize(emu.env.XERO_AUTHORIZE_URL!, {
      client_id: emu.env.XERO_CLIENT_ID!,
      scope: 'offline_access accounting.invoices',
    })
    const back = await decide(url, /cancel/i)
    expect(back.searchParams.get('error')).toBe('access_denied')
    expect(back.searchParams.get('code')).toBeNull()
  })

  test('QuickBooks: pick the company, Connect, back with a code and the realmId', async () => {
    const url = authorize(emu.env.QUICKBOOKS_AUTHORIZE_URL!, {
      client_id: emu.env.QUICKBOOKS_CLIENT_ID!,
      scope: 'com.intuit.quickbooks.accounting',
    })
    const back = await decide(url, /connect/i)
    expect(back.searchParams.get('code')).toBeTruthy()
    expect(back.searchParams.get('realmId')).toMatch(/^\d+$/)
  })

  test('Sage: Allow, back with a code and the country', async () => {
    const url = authorize(emu.env.SAGE_AUTHORIZE_URL!, {
      client_id: emu.env.SAGE_CLIENT_ID!,
      scope: 'full_access',
    })
    const back = await decide(url, /^allow$/i)
    expect(back.searchParams.get('code')).toBeTruthy()
    expect(back.searchParams.get('country')).toBeTruthy()
  })
})
