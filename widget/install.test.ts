// @vitest-environment happy-dom
import { waitFor } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { install, type LedgerLinkGlobal } from './install.ts'
import { pageRuntime } from './runtime.ts'

const BFF = 'https://ll.example'
const SESSION = 'sess_secret_0123456789'

const urlOf = (input: RequestInfo | URL) => (input instanceof Request ? input.url : input.toString())

/** The host backend's token route and the BFF, as one fetch double. */
function stubNetwork() {
  const fetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = urlOf(input)
    const auth = new Headers(init?.headers).get('authorization')
    if (url.endsWith('/host/token')) return Promise.resolve(Response.json({ token: 'embed-1' }))
    if (url === `${BFF}/v1/sessions`)
      return Promise.resolve(Response.json({ token: SESSION }, { status: 201 }))
    if (url === `${BFF}/v1/status` && auth === `Bearer ${SESSION}`)
      return Promise.resolve(
        Response.json({
          user: { id: 'u', name: 'Ada', role: 'admin', email: null },
          tenant: { id: 't', name: 'Brightwater' },
          connection: null,
          pendingChoice: null,
        }),
      )
    return Promise.resolve(new Response(null, { status: 404 }))
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}

function script(data: Record<string, string>) {
  const el = document.createElement('script')
  el.src = `${BFF}/widget.js`
  Object.assign(el.dataset, data)
  return el
}

function panel() {
  const el = document.createElement('ledgerlink-connection')
  document.body.append(el)
  return el
}
const text = (el: Element) => el.shadowRoot?.textContent ?? ''

beforeEach(() => {
  delete window.LedgerLink
  pageRuntime.value = null
  document.documentElement.lang = 'en-GB'
})
afterEach(() => {
  document.body.replaceChildren()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('install', () => {
  it('configures itself from the script tag: token URL, then a session, then the status', async () => {
    const fetch = stubNetwork()
    install(window, script({ tokenUrl: '/host/token' }))
    const el = panel()
    await waitFor(() => expect(text(el)).toContain('Connect to Xero'))
    expect(fetch.mock.calls.map(([url]) => urlOf(url))).toEqual([
      '/host/token',
      `${BFF}/v1/sessions`, // the BFF is where the script came from
      `${BFF}/v1/status`,
    ])
    // The core sheet, the lazy parts' shared one and the panel's own, from their chunks.
    expect(el.shadowRoot!.adoptedStyleSheets).toHaveLength(3)
  })

  it('keeps the session token in memory only: no storage, cookie, DOM or global', async () => {
    stubNetwork()
    const ll = install(window, script({ tokenUrl: '/host/token', baseUrl: BFF }))
    const el = panel()
    await waitFor(() => expect(text(el)).toContain('Connect to Xero'))
    expect(localStorage.length).toBe(0)
    expect(sessionStorage.length).toBe(0)
    expect(document.cookie).toBe('')
    expect(document.documentElement.outerHTML).not.toContain(SESSION)
    expect(el.shadowRoot!.innerHTML).not.toContain(SESSION)
    expect(JSON.stringify(ll)).not.toContain(SESSION)
    expect(Object.keys(ll).sort()).toEqual(['init', 'loaded', 'q'])
  })

  it('is safe to run twice: one global, one element definition, one session', async () => {
    const fetch = stubNetwork()
    const define = vi.spyOn(customElements, 'define')
    const first = install(window, script({ tokenUrl: '/host/token' }))
    const runtime = pageRuntime.value
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const second = install(window, script({ tokenUrl: '/host/token' }))
    expect(second).toBe(first)
    first.init({ getToken: () => 'other' })
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('called again'))
    expect(pageRuntime.value).toBe(runtime)
    expect(define.mock.calls.filter(([name]) => name === 'ledgerlink-connection').length).toBeLessThanOrEqual(
      1,
    )
    const [a, b] = [panel(), panel()]
    await waitFor(() => expect(text(b)).toContain('Connect to Xero'))
    expect(text(a)).toContain('Connect to Xero')
    expect(fetch.mock.calls.filter(([url]) => urlOf(url).endsWith('/v1/sessions'))).toHaveLength(1)
  })

  it('drains calls queued before it loaded, and runs later pushes at once', async () => {
    stubNetwork()
    const getToken = vi.fn(() => 'embed-1')
    window.LedgerLink = { q: [['init', { baseUrl: BFF, getToken, locale: 'en-US' }]] }
    const el = panel() // on the page before the script: shows its loading state
    install(window, null)
    await waitFor(() => expect(text(el)).toContain('Connect to Xero'))
    expect(getToken).toHaveBeenCalledTimes(1)
    expect(pageRuntime.value!.locale).toBe('en-US')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    window.LedgerLink.q!.push(['init', { getToken }])
    expect(warn).toHaveBeenCalledTimes(1)
  })

  it('accepts the stub a host writes before the script (arguments objects included)', () => {
    stubNetwork()
    const stub = {
      q: [] as ArrayLike<unknown>[],
      init(...args: unknown[]) {
        stub.q.push(['init', ...args])
      },
    }
    window.LedgerLink = stub
    stub.init({ baseUrl: BFF, getToken: () => 'embed-1' })
    install(window, null)
    expect(pageRuntime.value?.api.origin).toBe(BFF)
  })

  it('lets a queued init override the data attributes', () => {
    window.LedgerLink = { q: [['init', { baseUrl: 'https://other.example', getToken: () => 'x' }]] }
    install(window, script({ tokenUrl: '/host/token' }))
    expect(pageRuntime.value?.api.origin).toBe('https://other.example')
  })

  it('waits for init when the tag has no token URL, and reports a bad call without throwing', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    window.LedgerLink = { q: [['init', { baseUrl: BFF }], ['nope']] }
    install(window, script({}))
    expect(pageRuntime.value).toBeNull()
    expect(error).toHaveBeenCalledTimes(2)
    expect(String(error.mock.calls[0]![0])).toContain('needs getToken')
    const el = panel()
    await waitFor(() => expect(text(el)).toContain('Checking your accounting connection…'))
    expect(() => (window.LedgerLink as LedgerLinkGlobal).init({})).toThrow('needs getToken')
  })

  it('speaks the page language when no locale is given', () => {
    stubNetwork()
    document.documentElement.lang = 'en-US'
    install(window, script({ tokenUrl: '/host/token' }))
    expect(pageRuntime.value!.locale).toBe('en-US')
  })
})
