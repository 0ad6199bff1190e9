import { MappingEditor } from './mapping-editor.tsx'
import { SyncSettings } from './sync-settings.tsx'

/**
 * The connected card's sections, loaded as a chunk of their own when one is first opened. They
 * render in the panel's shadow root, styled by the panel's sheet (styles/panel-sheet.ts).
 */
export const sections = { settings: SyncSettings, mappings: MappingEditor }
export type Sections = typeof sections
