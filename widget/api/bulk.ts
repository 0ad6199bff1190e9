import type { BulkKind, BulkPreview, BulkRun, BulkRunList } from '../../shared/bulk.ts'
import { queryString, type ApiClient } from './client.ts'

/** The bulk sync routes, for `<ledgerlink-sync-button>` (its chunk only). */
export function bulkApi(api: ApiClient) {
  const run = (id: string) => `/v1/sync/bulk/${encodeURIComponent(id)}`
  return {
    preview: (kind: BulkKind) =>
      api.request<BulkPreview>('GET', `/v1/sync/bulk/preview${queryString({ kind })}`),
    start: (kind: BulkKind) => api.request<BulkRun>('POST', '/v1/sync/bulk', { kind }),
    get: (runId: string) => api.request<BulkRun>('GET', run(runId)),
    cancel: (runId: string) => api.request<BulkRun>('POST', `${run(runId)}/cancel`),
    /** The tenant's runs still going, newest first, so a run started on another page shows here too. */
    active: () => api.request<BulkRunList>('GET', '/v1/sync/bulk?active=true'),
  }
}
export type BulkApi = ReturnType<typeof bulkApi>
