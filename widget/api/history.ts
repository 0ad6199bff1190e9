import type { HistoryRun, HistoryRunDetail, RetryAnswer } from '../../shared/history.ts'
import { queryString, type ApiClient } from './client.ts'

/** Filters of the sync history (all optional); `cursor` is the last page's `nextCursor`. */
export interface HistoryQuery {
  status?: HistoryRun['status'] | undefined
  kind?: HistoryRun['recordKind'] | undefined
  /** YYYY-MM-DD (UTC), inclusive. */
  from?: string | undefined
  to?: string | undefined
  q?: string | undefined
  limit?: number | undefined
  cursor?: string | undefined
}

/** The sync history routes, for `<ledgerlink-sync-history>` (its chunk only). */
export function historyApi(api: ApiClient) {
  const one = (id: string) => `/v1/sync/history/${encodeURIComponent(id)}`
  return {
    list: (q: HistoryQuery = {}) =>
      api.request<{ data: HistoryRun[]; nextCursor: string | null }>(
        'GET',
        `/v1/sync/history${queryString(q)}`,
      ),
    get: (id: string) => api.request<HistoryRunDetail>('GET', one(id)),
    retry: (id: string) => api.request<RetryAnswer>('POST', `${one(id)}/retry`),
    retryItem: (id: string, recordKind: string, recordId: string) =>
      api.request<RetryAnswer>(
        'POST',
        `${one(id)}/items/${encodeURIComponent(recordKind)}/${encodeURIComponent(recordId)}/retry`,
      ),
  }
}
export type HistoryApi = ReturnType<typeof historyApi>
