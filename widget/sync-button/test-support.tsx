// The sync button's test doubles (imported only by its *.test.tsx files).
import { act, render, within } from '@testing-library/preact'
import { vi } from 'vitest'
import type { BulkPreview, BulkProgress, BulkRun } from '../../shared/bulk.ts'
import { ApiError } from '../api/api-error.ts'
import { createPage } from '../runtime.ts'
import { PageContext } from '../state/page-context.ts'
import { BFF, NOW, fakeApi, shadowContainer, status } from '../test-support.tsx'
import { element } from './sync-button.tsx'

export const RUN_ID = 'run_01jd2k6x3y4z5a6b7c8d9e0f1g'

export function run(progress: Partial<BulkProgress> = {}, over: Partial<BulkRun> = {}): BulkRun {
  const p = { total: 200, done: 0, failed: 0, cancelled: 0, ...progress }
  const remaining = progress.remaining ?? p.total - p.done - p.failed - p.cancelled
  return {
    id: RUN_ID,
    kind: 'invoices',
    startedBy: 'usr_ada',
    createdAt: '2026-11-22T11:59:00Z',
    finishedAt: remaining === 0 ? '2026-11-22T12:01:00Z' : null,
    cancelledAt: null,
    progress: { ...p, remaining },
    ...over,
  }
}

export function preview(over: Partial<BulkPreview> = {}): BulkPreview {
  return {
    kind: 'invoices',
    invoices: 37,
    creditNotes: 0,
    payments: 0,
    customers: 12,
    summary: '37 invoices and the 12 customers they need',
    ...over,
  }
}

/** A route's answers in turn (the last one again once they run out); an ApiError is thrown. */
export function answers(...list: unknown[]) {
  let i = 0
  return () => {
    const next = list[Math.min(i++, list.length - 1)]
    return next instanceof ApiError ? Promise.reject(next) : Promise.resolve(next)
  }
}

type Routes = Record<string, (body?: unknown) => Promise<unknown>>

/**
 * The button on a page made by createPage with the doubles, inside a real shadow root with the
 * core, parts and button sheets; `routes` answer the bulk routes by `METHOD path`. Timers are
 * fake: `tick(ms)` moves them on and lets the answers and renders through.
 */
export function renderSyncButton(
  attrs: { kind?: string; historyUrl?: string } = {},
  routes: Routes = {},
  opts: { locale?: string; provider?: 'xero' | 'quickbooks' | 'sage' } = {},
) {
  const api = fakeApi(status())
  const all: Routes = { 'GET /v1/sync/bulk?active=true': answers({ data: [] }), ...routes }
  api.request.mockImplementation(((method: string, path: string, body?: unknown) => {
    const route = all[`${method} ${path}`]
    return route ? route(body) : Promise.reject(new ApiError('not_found', 404))
  }) as never)
  const announce = vi.fn<(text: string) => void>()
  const page = createPage(
    { getToken: () => 'unused', locale: opts.locale ?? 'en-GB' },
    { fallbackBaseUrl: BFF, api, now: () => NOW, announce },
  )
  if (opts.provider) page.badges.connection.value = { provider: opts.provider, status: 'active' }
  const refresh = vi.spyOn(page.badges, 'refresh').mockResolvedValue()

  const { root, container } = shadowContainer(element.sheets ?? [])
  const View = element.view
  const result = render(
    <PageContext.Provider value={page}>
      <View kind={attrs.kind ?? null} historyUrl={attrs.historyUrl ?? null} />
    </PageContext.Provider>,
    { container, baseElement: container },
  )
  return {
    ...result,
    api,
    page,
    announce,
    refresh,
    root,
    screen: within(container),
    /** Every API call, as `METHOD path`. */
    calls: () => api.request.mock.calls.map(([method, path]) => `${method} ${path}`),
    tick: (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms).then(() => {})),
  }
}
