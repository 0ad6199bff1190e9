import { useEffect } from 'preact/hooks'
import { ConnectionPanel } from '../components/connection-panel.tsx'
import type { ElementModule } from '../elements/define-element.tsx'
import { RuntimeContext } from '../state/context.ts'
import { usePage } from '../state/page-context.ts'
import { runtimeOf } from '../state/panel-runtime.ts'
import { panelSheet } from '../styles/panel-sheet.ts'
import { partsSheet } from '../styles/parts-sheet.ts'

/** `<ledgerlink-connection>`, loaded as a chunk the first time a panel is shown. */
function PanelElement() {
  const runtime = runtimeOf(usePage())
  // The status loads on the first panel's mount: a page with the script and no panel costs nothing.
  useEffect(() => runtime.state.start(), [runtime])
  return (
    <RuntimeContext.Provider value={runtime}>
      <ConnectionPanel />
    </RuntimeContext.Provider>
  )
}

/** What install.ts loads when the first such element is on the page. */
export const element: ElementModule = { view: PanelElement, sheets: [partsSheet(), panelSheet()] }
