// Fixtures and a double of the settings and mapping routes (imported only by this folder's tests).
import { fireEvent } from '@testing-library/preact'
import type { Status } from '../../shared/api/sessions.ts'
import type { ChartItem, ChartView, MappingEntry, MappingKind, MappingsView } from '../../shared/mappings.ts'
import { DEFAULT_SYNC_SETTINGS, type SyncSettings } from '../../shared/settings.ts'
import { connection, renderPanel, status } from '../test-support.tsx'

export const SETTINGS: SyncSettings = DEFAULT_SYNC_SETTINGS

const account = (id: string, code: string, name: string, over: object = {}) => ({
  id,
  code,
  name,
  kind: 'revenue' as const,
  active: true,
  acceptsPayments: false,
  ...over,
})

export function chart(over: Partial<ChartView> = {}): ChartView {
  return {
    provider: 'xero',
    accounts: [
      account('acc_sales', '200', 'Sales'),
      account('acc_consult', '210', 'Consulting Income'),
      account('acc_old', '205', 'Old Sales', { active: false }),
      account('acc_rent', '400', 'Rent', { kind: 'other' }),
      account('acc_bank', '090', 'Business Bank', { kind: 'bank', acceptsPayments: true }),
    ],
    taxRates: [
      { id: 'tax_20', name: 'VAT on Income', rate: '20', active: true },
      { id: 'tax_0', name: 'Zero Rated', rate: '0', active: true },
      { id: 'tax_old', name: 'Old VAT', rate: '17.5', active: false },
    ],
    currencies: ['GBP'],
    items: null,
    fetchedAt: '2026-11-22T11:50:00Z',
    ...over,
  }
}

/** A mapping entry, missing unless told otherwise. */
export function entry(kind: MappingKind, key: string, over: Partial<MappingEntry> = {}): MappingEntry {
  return {
    kind,
    key,
    state: 'missing',
    current: null,
    proposal: null,
    blocksPush: false,
    localRate: null,
    ...over,
  }
}

export const mapped = (ref: string, label: string) => ({
  state: 'mapped' as const,
  current: { ref, label, problem: null },
})
export const proposed = (ref: string, label: string, reason = 'Your organisation’s sales account') => ({
  proposal: { ref, label, reason },
})

export function view(entries: MappingEntry[], over: Partial<MappingsView> = {}): MappingsView {
  return {
    provider: 'xero',
    organisation: 'Brightwater Ltd',
    entries,
    complete: !entries.some((e) => e.blocksPush),
    chartFetchedAt: '2026-11-22T11:50:00Z',
    ...over,
  }
}

/** What the double answers; tests change it, or make a route fail with `fail`. */
export interface Server {
  settings: SyncSettings
  mappings: MappingsView
  chart: ChartView
  /** The answer to PUT /v1/mappings (by default: the mappings as they are). */
  afterPut?: MappingsView
  refreshed?: ChartView
  created?: { item: ChartItem; mappings: MappingsView }
  /** `METHOD path` → the error that route answers, or a promise that never settles. */
  fail: Record<string, Error | 'hang'>
}

/**
 * The panel, connected, with the settings and mapping routes answered from `server`; `open`
 * clicks one of the card's sections open.
 */
export function renderSettings(
  server: Partial<Server> = {},
  opts: { status?: Partial<Status>; locale?: string } = {},
) {
  const s: Server = { settings: SETTINGS, mappings: view([]), chart: chart(), fail: {}, ...server }
  const panel = renderPanel(status({ connection: connection(), ...opts.status }), opts)
  panel.api.request.mockImplementation((method: string, path: string, body?: unknown) => {
    const failure = s.fail[`${method} ${path}`]
    if (failure === 'hang') return new Promise<never>(() => {})
    if (failure) return Promise.reject(failure)
    const answer = ((): unknown => {
      switch (`${method} ${path}`) {
        case 'GET /v1/settings':
          return s.settings
        case 'PATCH /v1/settings':
          return (s.settings = { ...s.settings, ...(body as object) })
        case 'GET /v1/mappings':
          return s.mappings
        case 'PUT /v1/mappings':
          return (s.mappings = s.afterPut ?? s.mappings)
        case 'GET /v1/mappings/chart':
          return s.chart
        case 'POST /v1/mappings/chart/refresh':
          return (s.chart = s.refreshed ?? s.chart)
        case 'POST /v1/mappings/items':
          return s.created
      }
      throw new Error(`no route ${method} ${path} in this double`)
    })()
    return Promise.resolve(structuredClone(answer) as never)
  })
  /** The bodies sent to one route, in order. */
  const sent = (method: string, path: string) =>
    panel.api.request.mock.calls.filter(([m, p]) => m === method && p === path).map(([, , b]) => b)
  async function open(name: 'Sync settings' | 'Account mappings') {
    fireEvent.click(await panel.screen.findByRole('button', { name }))
  }
  return { ...panel, server: s, sent, open }
}
