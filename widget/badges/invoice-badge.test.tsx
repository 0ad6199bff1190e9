// @vitest-environment happy-dom
import { fireEvent } from '@testing-library/preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StatusAnswer, SyncState } from '../../shared/sync-state.ts'
import { ApiError } from '../api/api-error.ts'
import type { ApiClient } from '../api/client.ts'
import { defineElement } from '../elements/define-element.tsx'
import { createPage, pageRuntime } from '../runtime.ts'
import { InvoiceBadge } from './invoice-badge.tsx'
import { FAST_POLL_MS, GATHER_MS, SLOW_POLL_MS } from './store.ts'

const NOW = Date.parse('2026-11-22T12:00:00Z')
const XERO = { provider: 'xero' as const, status: 'active' as const }

defineElement('ledgerlink-invoice-badge', {
  load: { view: InvoiceBadge },
  waiting: () => 'Checking…',
  frame: 'inline',
  attributes: ['invoice-id', 'show-action'],
})

function state(over: Partial<SyncState> = {}): SyncState {
  return {
    state: 'not_synced',
    provider: 'xero',
    providerId: null,
    url: null,
    syncedAt: null,
    error: null,
    ...over,
  }
}

/** The BFF as the badges see it: states by id, the connection, every call recorded. */
function fakeServer(states: Record<string, SyncState>, connection: StatusAnswer['connection'] = XERO) {
  const server = {
    states,
    connection,
    syncStatus: vi.fn((ids: string[]) =>
      Promise.resolve({
        connection: server.connection,
        states: Object.fromEntries(
          ids.filter((id) => server.states[id]).map((id) => [id, structuredClone(server.states[id]!)]),
        ),
      }),
    ),
    pushInvoice: vi.fn((_id: string) => Promise.resolve({ jobId: 'job_1', state: 'pending' as const })),
  }
  return server
}

let said: string[]
function start(server: ReturnType<typeof fakeServer>) {
  said = []
  const api = { origin: 'https://ll.example', ...server } as unknown as ApiClient
  pageRuntime.value = createPage(
    { getToken: () => 'unused', locale: 'en-GB' },
    { fallbackBaseUrl: 'https://ll.example', api, now: () => NOW, announce: (t) => said.push(t) },
  )
}

function badge(id: string, attrs: Record<string, string> = {}) {
  const el = document.createElement('ledgerlink-invoice-badge')
  el.setAttribute('invoice-id', id)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v)
  document.body.append(el)
  return el
}
const root = (el: Element) => el.shadowRoot!
const text = (el: Element) => root(el).textContent ?? ''
const button = (el: Element, name: RegExp | string) => {
  const found = [...root(el).querySelectorAll('button')].find((b) =>
    typeof name === 'string' ? b.textContent === name : name.test(b.textContent ?? ''),
  )
  if (!found) throw new Error(`no button ${String(name)} in: ${text(el)}`)
  return found
}
const stateOf = (el: Element) => root(el).querySelector('.badge')?.getAttribute('data-state') ?? null

/** Lets the badges gather, ask, and render the answer. */
async function settle(ms = GATHER_MS) {
  await vi.advanceTimersByTimeAsync(ms)
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
})
afterEach(() => {
  document.body.replaceChildren()
  pageRuntime.value = null
  vi.useRealTimers()
})

describe('each state', () => {
  it('Not synced offers "Post to Xero" on the invoice page, after a confirmation', async () => {
    const server = fakeServer({ inv_a: state() })
    start(server)
    const el = badge('inv_a', { 'show-action': '' })
    expect(text(el)).toContain('Checking')
    await settle()
    expect(stateOf(el)).toBe('not_synced')
    expect(button(el, /Not synced/).getAttribute('aria-label')).toBe('Not synced. Not in Xero yet.')
    fireEvent.click(button(el, 'Post to Xero'))
    await settle(0)
    const group = root(el).querySelector('[role="group"]')!
    expect(group.getAttribute('aria-label')).toBe('Post this invoice to Xero now?')
    expect(server.pushInvoice).not.toHaveBeenCalled()
    const confirm = [...group.querySelectorAll('button')].find((b) => b.textContent === 'Post to Xero')!
    expect(root(el).activeElement).toBe(confirm) // focus moves to the question's answer
    fireEvent.click(confirm)
    await settle(0)
    expect(server.pushInvoice).toHaveBeenCalledWith('inv_a')
    expect(stateOf(el)).toBe('pending')
  })

  it('Escape or Cancel leaves the invoice alone and gives the focus back', async () => {
    start(fakeServer({ inv_a: state() }))
    const el = badge('inv_a', { 'show-action': '' })
    await settle()
    fireEvent.click(button(el, 'Post to Xero'))
    await settle(0)
    fireEvent.keyDown(root(el).querySelector('[role="group"]')!, { key: 'Escape' })
    await settle(0)
    expect(root(el).querySelector('[role="group"]')).toBeNull()
    expect(root(el).activeElement?.textContent).toBe('Post to Xero')
  })

  it('a list row shows the pill only; the pill opens the details and the action', async () => {
    start(fakeServer({ inv_a: state() }))
    const el = badge('inv_a')
    await settle()
    expect(() => button(el, 'Post to Xero')).toThrow()
    const pill = button(el, /Not synced/)
    expect(pill.getAttribute('aria-expanded')).toBe('false')
    fireEvent.click(pill)
    await settle(0)
    expect(pill.getAttribute('aria-expanded')).toBe('true')
    expect(text(el)).toContain('Not in Xero yet.')
    expect(button(el, 'Post to Xero')).toBeTruthy()
  })

  it('Pending says it is on its way, with no action', async () => {
    start(fakeServer({ inv_a: state({ state: 'pending' }) }))
    const el = badge('inv_a', { 'show-action': '' })
    await settle()
    expect(stateOf(el)).toBe('pending')
    expect(text(el)).toContain('On its way to Xero.')
    expect(root(el).querySelectorAll('button')).toHaveLength(1) // the pill
  })

  it('Synced links to the invoice in the provider, in a new tab', async () => {
    start(
      fakeServer({
        inv_a: state({
          state: 'synced',
          providerId: 'x-1',
          url: 'https://go.xero.example/inv/x-1',
          syncedAt: '2026-11-21T09:30:00Z',
        }),
      }),
    )
    const el = badge('inv_a', { 'show-action': '' })
    await settle()
    const link = root(el).querySelector('a')!
    expect(link.textContent).toBe('Open in Xero')
    expect(link.getAttribute('href')).toBe('https://go.xero.example/inv/x-1')
    expect(link.getAttribute('target')).toBe('_blank')
    expect(link.getAttribute('rel')).toContain('noopener')
    expect(text(el)).toContain('In Xero since 21 Nov 2026')
  })

  it('Outdated offers to send the update', async () => {
    const server = fakeServer({ inv_a: state({ state: 'outdated', providerId: 'x-1' }) })
    start(server)
    const el = badge('inv_a', { 'show-action': '' })
    await settle()
    expect(button(el, /Outdated/)).toBeTruthy()
    fireEvent.click(button(el, 'Send update to Xero'))
    await settle(0)
    expect(root(el).querySelector('[role="group"]')!.getAttribute('aria-label')).toBe(
      'Send this invoice’s changes to Xero now?',
    )
  })

  it('Error shows the message a bookkeeper reads, what to do, the provider’s words, the reference and Retry', async () => {
    const server = fakeServer({
      inv_a: state({
        state: 'error',
        error: {
          code: 'mapping_missing',
          message: 'The category “Labour” is not mapped to an account.',
          action: 'Map it in the settings, then retry.',
          providerMessage: null,
          correlationId: null,
          at: '2026-11-22T11:00:00Z',
        },
      }),
      inv_b: state({
        state: 'error',
        error: {
          code: 'provider_refused',
          message: 'Xero refused the invoice.',
          action: 'Correct it and retry.',
          providerMessage: 'Account code 999 is not a valid code',
          correlationId: 'corr-123',
          at: '2026-11-22T11:00:00Z',
        },
      }),
    })
    start(server)
    const [a, b] = [badge('inv_a', { 'show-action': '' }), badge('inv_b', { 'show-action': '' })]
    await settle()
    expect(text(a)).toContain('The category “Labour” is not mapped to an account.')
    expect(text(a)).toContain('Map it in the settings, then retry.')
    expect(text(b)).toContain('Xero said: “Account code 999 is not a valid code”')
    expect(root(b).querySelector('code')!.textContent).toBe('corr-123')
    fireEvent.click(button(a, 'Retry'))
    await settle(0)
    fireEvent.click(
      [...root(a).querySelectorAll('[role="group"] button')].find((x) => x.textContent === 'Retry')!,
    )
    await settle(0)
    expect(server.pushInvoice).toHaveBeenCalledWith('inv_a')
  })

  it('an id this account does not have says so; an unread one while the status fails says it could not check', async () => {
    const server = fakeServer({})
    start(server)
    const el = badge('inv_nope')
    await settle()
    expect(text(el)).toBe('Not found')
    server.syncStatus.mockRejectedValueOnce(new ApiError('network', 0))
    const other = badge('inv_other')
    await settle()
    expect(text(other)).toBe('Unavailable')
  })
})

describe('the connection', () => {
  it('with none connected, nothing can be posted and the details say where to connect', async () => {
    start(fakeServer({ inv_a: state({ provider: null }) }, null))
    const el = badge('inv_a', { 'show-action': '' })
    await settle()
    expect(root(el).querySelectorAll('button')).toHaveLength(1)
    expect(text(el)).toContain('No accounting software is connected: connect it in your settings.')
  })

  it('an expired connection offers no Post, and says it needs reconnecting', async () => {
    start(fakeServer({ inv_a: state() }, { provider: 'quickbooks', status: 'expired' }))
    const el = badge('inv_a', { 'show-action': '' })
    await settle()
    expect(() => button(el, /Post to/)).toThrow()
    expect(text(el)).toContain('The connection to QuickBooks needs reconnecting')
  })

  it('a refused Post shows the server’s words and its reference, until dismissed', async () => {
    const server = fakeServer({ inv_a: state() })
    server.pushInvoice.mockRejectedValueOnce(
      new ApiError('sync_disabled', 409, 'req_42', {
        message: 'Sync is turned off for this account.',
        action: 'Turn it on in the settings.',
      }),
    )
    start(server)
    const el = badge('inv_a', { 'show-action': '' })
    await settle()
    fireEvent.click(button(el, 'Post to Xero'))
    await settle(0)
    fireEvent.click([...root(el).querySelectorAll('[role="group"] button')][0]!)
    await settle(0)
    const alert = root(el).querySelector('[role="alert"]')!
    expect(alert.textContent).toContain('Sync is turned off for this account. Turn it on in the settings.')
    expect(alert.textContent).toContain('req_42')
    expect(stateOf(el)).toBe('not_synced')
    fireEvent.click(button(el, 'Dismiss'))
    await settle(0)
    expect(root(el).querySelector('[role="alert"]')).toBeNull()
  })
})

describe('one batched status for the page', () => {
  it('500 badges ask once, with every id; 501 ask in two requests of at most 500', async () => {
    const ids = Array.from({ length: 501 }, (_, i) => `inv_${i}`)
    const server = fakeServer(Object.fromEntries(ids.map((id) => [id, state()])))
    start(server)
    for (const id of ids.slice(0, 500)) badge(id)
    await settle()
    expect(server.syncStatus).toHaveBeenCalledTimes(1)
    expect(server.syncStatus.mock.calls[0]![0]).toHaveLength(500)

    document.body.replaceChildren()
    server.syncStatus.mockClear()
    start(server)
    for (const id of ids) badge(id)
    await settle()
    expect(server.syncStatus.mock.calls.map(([c]) => c.length)).toEqual([500, 1])
  })

  it('two badges of one invoice ask for it once', async () => {
    const server = fakeServer({ inv_a: state() })
    start(server)
    badge('inv_a')
    badge('inv_a', { 'show-action': '' })
    await settle()
    expect(server.syncStatus.mock.calls).toEqual([[['inv_a']]])
  })

  it('follows its invoice-id attribute: a re-rendered row shows the other invoice', async () => {
    const server = fakeServer({
      inv_a: state(),
      inv_b: state({ state: 'synced', syncedAt: '2026-11-22T10:00:00Z' }),
    })
    start(server)
    const el = badge('inv_a')
    await settle()
    expect(stateOf(el)).toBe('not_synced')
    el.setAttribute('invoice-id', 'inv_b')
    await settle()
    expect(server.syncStatus).toHaveBeenLastCalledWith(['inv_b'])
    expect(stateOf(el)).toBe('synced')
  })
})

describe('live updates', () => {
  it('polls fast while something is pending, and says what finished once for the whole page', async () => {
    const server = fakeServer({
      inv_a: state({ state: 'pending' }),
      inv_b: state({ state: 'pending' }),
      inv_c: state({ state: 'pending' }),
      inv_d: state(),
    })
    start(server)
    const els = ['inv_a', 'inv_b', 'inv_c', 'inv_d'].map((id) => badge(id))
    await settle()
    expect(server.syncStatus).toHaveBeenCalledTimes(1)
    server.states.inv_a = state({ state: 'synced', syncedAt: '2026-11-22T12:00:01Z' })
    server.states.inv_b = state({ state: 'synced', syncedAt: '2026-11-22T12:00:01Z' })
    server.states.inv_c = state({
      state: 'error',
      error: {
        code: 'provider_refused',
        message: 'Xero refused the invoice.',
        action: 'Correct it and retry.',
        providerMessage: null,
        correlationId: null,
        at: '2026-11-22T12:00:01Z',
      },
    })
    await settle(FAST_POLL_MS)
    expect(server.syncStatus).toHaveBeenCalledTimes(2)
    expect(els.map(stateOf)).toEqual(['synced', 'synced', 'error', 'not_synced'])
    expect(said).toEqual(['2 invoices synced to Xero. 1 invoice could not be sent to Xero: see its badge.'])
    // Nothing pending: the next look is the slow one.
    await settle(FAST_POLL_MS)
    expect(server.syncStatus).toHaveBeenCalledTimes(2)
    await settle(SLOW_POLL_MS)
    expect(server.syncStatus).toHaveBeenCalledTimes(3)
    expect(said).toHaveLength(1) // the first load and unchanged polls say nothing
  })

  it('does not poll a hidden tab, and catches up when it is shown', async () => {
    const server = fakeServer({ inv_a: state({ state: 'pending' }) })
    start(server)
    badge('inv_a')
    await settle()
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    await settle(FAST_POLL_MS * 3)
    expect(server.syncStatus).toHaveBeenCalledTimes(1)
    visibility.mockReturnValue('visible')
    document.dispatchEvent(new Event('visibilitychange'))
    await settle(0)
    expect(server.syncStatus).toHaveBeenCalledTimes(2)
  })

  it('stops polling when the page has no badge left', async () => {
    const server = fakeServer({ inv_a: state({ state: 'pending' }) })
    start(server)
    badge('inv_a')
    await settle()
    document.body.replaceChildren()
    await settle(SLOW_POLL_MS * 2)
    expect(server.syncStatus).toHaveBeenCalledTimes(1)
  })
})

describe('hostile text', () => {
  it('renders the server’s words as text, never as markup', async () => {
    const evil = '<img src=x onerror="alert(1)"><script>alert(2)</script> مرحبا 🧾 '.padEnd(10_000, 'x')
    start(
      fakeServer({
        inv_a: state({
          state: 'error',
          error: {
            code: 'provider_refused',
            message: evil,
            action: 'Correct it.',
            providerMessage: evil,
            correlationId: null,
            at: '2026-11-22T12:00:00Z',
          },
        }),
      }),
    )
    const el = badge('inv_a', { 'show-action': '' })
    await settle()
    expect(root(el).querySelector('img, script')).toBeNull()
    expect(text(el)).toContain('<script>alert(2)</script> مرحبا 🧾')
  })
})
