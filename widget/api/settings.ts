import type { ChartItem, ChartView, MappingsView, PutMappings } from '../../shared/mappings.ts'
import type { PatchSyncSettings, SyncSettings } from '../../shared/settings.ts'
import type { ApiClient } from './client.ts'

/** The settings and mapping routes, for the connection panel's settings (its chunk only). */
export function settingsApi(api: ApiClient) {
  return {
    settings: () => api.request<SyncSettings>('GET', '/v1/settings'),
    updateSettings: (patch: PatchSyncSettings) => api.request<SyncSettings>('PATCH', '/v1/settings', patch),
    mappings: () => api.request<MappingsView>('GET', '/v1/mappings'),
    saveMappings: (body: PutMappings) => api.request<MappingsView>('PUT', '/v1/mappings', body),
    chart: () => api.request<ChartView>('GET', '/v1/mappings/chart'),
    refreshChart: () => api.request<ChartView>('POST', '/v1/mappings/chart/refresh'),
    /** QuickBooks: a new item for a category; the mappings come back with it mapped. */
    createItem: (body: { category: string; name?: string }) =>
      api.request<{ item: ChartItem; mappings: MappingsView }>('POST', '/v1/mappings/items', body),
  }
}
export type SettingsApi = ReturnType<typeof settingsApi>
