// Test doubles and fixtures for the widget's tests (imported only by *.test.tsx files).
import { render, within } from '@testing-library/preact'
import { vi, type Mock } from 'vitest'
import type { Connection } from '../shared/api/connections.ts'
import type { Status } from '../shared/api/sessions.ts'
import { ERRORS, type ErrorCode, type FieldError } from '../shared/errors.ts'
import { ApiError } from './api/api-error.ts'
import type { ApiClient } from './api/client.ts'
import { ConnectionPanel } from './components/connection-panel.tsx'
import { createRuntime, type Runtime } from './state/panel-runtime.ts'
import type { Browser, Popup } from './state/browser.ts'
import { RuntimeContext } from './state/context.ts'
import { PageContext } from './state/page-context.ts'
import { styleSheet } from './styles/sheet.ts'

export const NOW = Date.parse('2026-11-22T12:00:00Z')
export const BFF = 'https://ledgerlink.example'
export const HOST_PAGE = 'https://app.example/settings?tab=accounting'
export const AUTHORIZE_URL = 'https://login.xero.example/authorize?state=abc'

export const ADMIN = { id: 'usr_ada', name: 'Ada Lovelace', role: 'admin', email: null } as const
export const MEMBER = { id: 'usr_bob', name: 'Bob Ledger', role: 'member', email: null } as const

export function connection(over: Partial<Connection> = {}): Connection {
  return {
    id: 'con_1',
    provider: 'xero',
    organisation: { id: 'org_1', name: 'Brightwater Ltd' },
    status: 'active',
    connectedBy: { id: ADMIN.id, name: ADMIN.name },
    connectedAt: '2026-11-01T09:30:00Z',
    lastSyncAt: '2026-11-22T11:55:00Z',
    lastError: null,
    reconnectBy: null,
    ...over,
  }
}

export function status(over: Partial<Status> = {}): Status {
  return {
    user: ADMIN,
    tenant: { id: 'brightwater', name: 'Brightwater Field Services' },
    connection: null,
    pendingChoice: null,
    ...over,
  }
}

/**
 * An error as the server answers it (with its words from shared/errors.ts, or `message` where the
 * route words it itself), read the way api/client.ts reads an error body.
 */
export function serverError(
  code: ErrorCode,
  requestId = 'req_1',
  details: FieldError[] = [],
  message?: string,
) {
  const { status, action, retryable } = ERRORS[code]
  return ApiError.fromBody(status, {
    error: { code, message: message ?? ERRORS[code].message, action, retryable, details, requestId },
  })
}

/** A double of api/client.ts: answers from `current`, records every call. */
export interface FakeApi extends ApiClient {
  current: Status
  status: Mock<ApiClient['status']>
  startConnection: Mock<ApiClient['startConnection']>
  completeConnection: Mock<ApiClient['completeConnection']>
  chooseOrganisation: Mock<ApiClient['chooseOrganisation']>
  disconnect: Mock<ApiClient['disconnect']>
  outstanding: Mock<ApiClient['outstanding']>
  syncStatus: Mock<ApiClient['syncStatus']>
  pushInvoice: Mock<ApiClient['pushInvoice']>
  request: Mock<(method: string, path: string, body?: unknown) => Promise<never>>
}

export function fakeApi(initial: Status): FakeApi {
  const api: FakeApi = {
    origin: BFF,
    current: initial,
    status: vi.fn(() => Promise.resolve(structuredClone(api.current))),
    startConnection: vi.fn(() =>
      Promise.resolve({ authorizeUrl: AUTHORIZE_URL, expiresAt: '2026-11-22T12:10:00Z' }),
    ),
    // Completing connects what `current` says (set it before the consent comes back).
    completeConnection: vi.fn(() =>
      Promise.resolve(
        api.current.connection
          ? { outcome: 'connected' as const, connection: api.current.connection }
          : { outcome: 'choose' as const, pendingChoice: api.current.pendingChoice! },
      ),
    ),
    chooseOrganisation: vi.fn(({ organisationId }: { organisationId: string }) => {
      const organisation = api.current.pendingChoice!.organisations.find((o) => o.id === organisationId)!
      return Promise.resolve(connection({ organisation }))
    }),
    disconnect: vi.fn(() => Promise.resolve()),
    outstanding: vi.fn(() => Promise.resolve({ queued: {}, failing: {}, summary: null })),
    syncStatus: vi.fn(() => Promise.resolve({ connection: null, states: {} })),
    pushInvoice: vi.fn(() => Promise.resolve({ jobId: 'job_1', state: 'pending' as const })),
    request: vi.fn(() => Promise.reject(new Error('no such route in this double'))),
  }
  return api
}

type Listener = (e: { origin: string; data: unknown }) => void

/** A double of the page: a popup that records where it was sent, messages and timers we fire. */
export interface FakeBrowser extends Browser {
  url: string
  blockPopups: boolean
  popup: { closed: boolean; location: { href: string }; close: Mock<() => void> }
  openPopup: Mock<() => Popup | null>
  navigate: Mock<(url: string) => void>
  replaceUrl: Mock<(url: string) => void>
  /** Delivers a `message` event as the window would. */
  post(origin: string, data: unknown): void
  /** Fires every interval timer once. */
  tick(): void
  readonly timers: number
}

export function fakeBrowser(href = HOST_PAGE): FakeBrowser {
  const listeners = new Set<Listener>()
  const ticks = new Set<() => void>()
  const popup: FakeBrowser['popup'] = {
    closed: false,
    location: { href: 'about:blank' },
    close: vi.fn(() => {
      popup.closed = true
    }),
  }
  const browser: FakeBrowser = {
    url: href,
    blockPopups: false,
    popup,
    href: () => browser.url,
    openPopup: vi.fn(() => (browser.blockPopups ? null : popup)),
    navigate: vi.fn(),
    replaceUrl: vi.fn((url: string) => {
      browser.url = url
    }),
    onMessage(listener: Listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    every(_ms: number, tick: () => void) {
      ticks.add(tick)
      return () => ticks.delete(tick)
    },
    post: (origin, data) => listeners.forEach((l) => l({ origin, data })),
    tick: () => [...ticks].forEach((t) => t()),
    get timers() {
      return ticks.size
    },
  }
  return browser
}

/**
 * Renders the panel inside a real shadow root with the widget's stylesheet, on a runtime built by
 * createRuntime with the doubles; returns testing-library queries scoped to the shadow root.
 */
/**
 * A shadow root in the document with the core sheet and `sheets` adopted, as an element has, and
 * a div inside it to render into (testing-library prints an element on failure, not a ShadowRoot).
 */
export function shadowContainer(sheets: readonly CSSStyleSheet[] = []) {
  const host = document.createElement('div')
  document.body.append(host)
  const root = host.attachShadow({ mode: 'open' })
  root.adoptedStyleSheets = [styleSheet(), ...sheets]
  return { root, container: root.appendChild(document.createElement('div')) }
}

export function renderPanel(
  initial: Status,
  opts: {
    locale?: string
    href?: string
    consent?: 'popup' | 'redirect'
    /** Runs before the panel starts (and first asks for the status). */
    before?: (api: FakeApi) => void
  } = {},
) {
  const api = fakeApi(initial)
  opts.before?.(api)
  const browser = fakeBrowser(opts.href)
  // The page's one live region, as a spy: what it was last asked to say.
  const said: string[] = []
  const runtime: Runtime = createRuntime(
    { getToken: () => 'unused', locale: opts.locale ?? 'en-GB', consent: opts.consent },
    { fallbackBaseUrl: BFF, api, browser, now: () => NOW, announce: (text) => void said.push(text) },
  )
  const { root, container } = shadowContainer()
  runtime.state.start()
  const result = render(
    <PageContext.Provider value={runtime.page}>
      <RuntimeContext.Provider value={runtime}>
        <ConnectionPanel />
      </RuntimeContext.Provider>
    </PageContext.Provider>,
    { container, baseElement: container },
  )
  const screen = within(container)
  /** What the page's live region says now (the panel has no region of its own). */
  const live = () => said.at(-1) ?? ''
  return { api, browser, runtime, root, screen, live, said, ...result }
}
