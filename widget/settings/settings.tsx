import type { ComponentChildren } from 'preact'
import { useLayoutEffect, useRef } from 'preact/hooks'
import type { Connection } from '../../shared/api/connections.ts'
import { MappingEditor } from './mapping-editor.tsx'
import { settingsSheet } from './sheet.ts'
import { SyncSettings } from './sync-settings.tsx'

/** Adopts this chunk's sheet into the panel's shadow root (the panel's element knows only its own). */
function Styled({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null)
  // Each render: the element re-adopts its own sheets when it is moved in the page.
  useLayoutEffect(() => {
    const root = ref.current?.getRootNode()
    const sheet = settingsSheet()
    if (root instanceof ShadowRoot && !root.adoptedStyleSheets.includes(sheet))
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
  })
  return <div ref={ref}>{children}</div>
}

/** The connected card's sections, loaded as a chunk of their own when one is first opened. */
export const sections = {
  settings: ({ connection }: { connection: Connection }) => (
    <Styled>
      <SyncSettings provider={connection.provider} />
    </Styled>
  ),
  mappings: ({ connection }: { connection: Connection }) => (
    <Styled>
      <MappingEditor connection={connection} />
    </Styled>
  ),
}
export type Sections = typeof sections
