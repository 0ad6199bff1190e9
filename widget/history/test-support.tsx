// Test doubles and fixtures of the sync history's tests (imported only by *.test.tsx files).
import { render, within } from '@testing-library/preact'
import { vi } from 'vitest'
import type { HistoryItem, HistoryRun, HistoryRunDetail, RetryAnswer } from '../../shared/history.ts'
import type { Attributes } from '../elements/define-element.tsx'
import { createPage } from '../runtime.ts'
import { PageContext } from '../state/page-context.ts'
import { BFF, NOW, fakeApi, shadowContainer, status } from '../test-support.tsx'
import { element } from './history.tsx'

export { NOW }
export const minutesAgo = (n: number) => new Date(NOW - n * 60_000).toISOString()

export function run(over: Partial<HistoryRun> = {}): HistoryRun {
  return {
    id: 'hst_1',
    recordKind: 'invoice',
    trigger: 'bulk',
    event: null,
    startedBy: 'usr_ada',
    retryOf: null,
    bulkRunId: null,
    provider: 'xero',
    organisation: 'Brightwater Ltd',
    status: 'partial',
    total: 37,
    synced: 35,
    failed: 2,
    startedAt: minutesAgo(6),
    finishedAt: minutesAgo(5),
    durationMs: 12_000,
    ...over,
  }
}

export function item(over: Partial<HistoryItem> = {}): HistoryItem {
  return {
    recordKind: 'invoice',
    recordId: 'inv_42',
    label: 'INV-0042',
    code: 'mapping_missing',
    message: 'The category “Consulting” has no account in Xero.',
    action: 'Choose its account in the settings, then retry.',
    providerMessage: 'AccountCode is not valid',
    correlationId: 'corr-7f3a',
    at: minutesAgo(5),
    now: 'error',
    ...over,
  }
}

export const detail = (over: Partial<HistoryRunDetail> = {}): HistoryRunDetail => ({
  ...run(),
  items: [item(), item({ recordId: 'inv_43', label: 'INV-0043', now: 'synced', correlationId: null })],
  ...over,
})

/** An answer, an error to throw (an ApiError), or a promise of either. */
type Answer = unknown
/** The history routes, answering from these handlers; every call is in `api.request.mock.calls`. */
export interface Routes {
  list?: (query: URLSearchParams) => Answer
  get?: (id: string) => Answer
  retry?: (path: string) => Answer
}

export function renderHistory(attributes: Attributes = {}, routes: Routes = {}, locale = 'en-GB') {
  const api = fakeApi(status())
  const answer = (value: Answer) =>
    value instanceof Error ? Promise.reject(value) : (Promise.resolve(value) as Promise<never>)
  api.request.mockImplementation((method: string, path: string) => {
    const url = new URL(path, BFF)
    const id = /^\/v1\/sync\/history\/([^/]+)/.exec(url.pathname)?.[1]
    if (method === 'GET' && !id)
      return answer(routes.list?.(url.searchParams) ?? { data: [], nextCursor: null })
    if (method === 'GET') return answer(routes.get?.(decodeURIComponent(id!)) ?? detail())
    return answer(routes.retry?.(url.pathname) ?? ({ retried: 1, jobIds: ['job_1'] } satisfies RetryAnswer))
  })
  const announce = vi.fn<(text: string) => void>()
  const page = createPage(
    { getToken: () => 'unused', locale },
    { fallbackBaseUrl: BFF, api, now: () => NOW, announce },
  )
  const { root, container } = shadowContainer(element.sheets ?? [])
  const View = element.view
  const ui = (attrs: Attributes) => (
    <PageContext.Provider value={page}>
      <View kind={null} status={null} run={null} {...attrs} />
    </PageContext.Provider>
  )
  const result = render(ui(attributes), { container, baseElement: container })
  /** The list queries sent, each as an object of its parameters. */
  const queries = () =>
    api.request.mock.calls
      .filter(([m, p]) => m === 'GET' && p.startsWith('/v1/sync/history?'))
      .map(([, p]) => Object.fromEntries(new URL(p, BFF).searchParams))
  const posts = () => api.request.mock.calls.filter(([m]) => m === 'POST').map(([, p]) => p)
  return {
    api,
    announce,
    root,
    screen: within(container),
    queries,
    posts,
    setAttributes: (attrs: Attributes) => result.rerender(ui(attrs)),
    ...result,
  }
}
