import type { PatchSyncSettings, SyncSettings } from '../../shared/settings.ts'
import type { ApiError } from '../api/api-error.ts'
import { observable } from '../elements/observable.ts'
import type { SettingsApi } from '../api/settings.ts'
import { asError } from '../components/problem.tsx'

/**
 * The tenant's sync switches: read once per page, changed by an admin one PATCH at a time (the
 * answer is the new settings). While a change is on its way, `saving` holds it, so the switch
 * shows what was asked; a refusal puts it back and keeps the server's words in `error`.
 */
export function createSyncSettings(api: SettingsApi, say: () => void) {
  const settings = observable<SyncSettings | null>(null)
  const loadError = observable<ApiError | null>(null)
  const saving = observable<PatchSyncSettings | null>(null)
  const error = observable<ApiError | null>(null)
  let started = false

  async function load() {
    loadError.value = null
    try {
      settings.value = await api.settings()
    } catch (e) {
      loadError.value = asError(e)
    }
  }

  return {
    all: [settings, loadError, saving, error],
    settings,
    loadError,
    saving,
    error,
    load,
    dismiss: () => (error.value = null),
    start: () => {
      if (started) return
      started = true
      void load()
    },
    /** True once saved. */
    async change(patch: PatchSyncSettings): Promise<boolean> {
      if (saving.value) return false
      saving.value = patch
      error.value = null
      try {
        settings.value = await api.updateSettings(patch)
        say()
        return true
      } catch (e) {
        error.value = asError(e)
        return false
      } finally {
        saving.value = null
      }
    },
  }
}
export type SyncSettingsState = ReturnType<typeof createSyncSettings>
