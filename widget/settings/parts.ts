import { settingsApi } from '../api/settings.ts'
import { useRuntime } from '../state/context.ts'
import type { Runtime } from '../state/panel-runtime.ts'
import { createMappings } from './mappings-state.ts'
import { createSyncSettings } from './sync-settings-state.ts'
import { settingsWords } from './words.ts'

function createParts({ api, page }: Runtime) {
  const words = settingsWords(page.locale)
  const routes = settingsApi(api)
  return {
    words,
    settings: createSyncSettings(routes, () => page.announce(words.settingsSaved)),
    mappings: createMappings(routes, words, (text) => page.announce(text)),
  }
}
export type Parts = ReturnType<typeof createParts>

const made = new WeakMap<Runtime, Parts>()

/** The settings' and mappings' state on this page (made when first shown, shared by every panel). */
export function useParts(): Parts {
  const runtime = useRuntime()
  let parts = made.get(runtime)
  if (!parts) made.set(runtime, (parts = createParts(runtime)))
  return parts
}
