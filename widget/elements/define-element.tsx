import { render, type FunctionComponent } from 'preact'
import { useEffect } from 'preact/hooks'
import { RuntimeContext } from '../state/context.ts'
import { pageRuntime, type Runtime } from '../runtime.ts'
import { styleSheet } from '../styles/sheet.ts'

function Mount({ view: View, loading }: { view: FunctionComponent; loading: string }) {
  const runtime = pageRuntime.value
  if (!runtime) return <Waiting text={loading} />
  return (
    <RuntimeContext.Provider value={runtime}>
      <Started runtime={runtime} view={View} />
    </RuntimeContext.Provider>
  )
}

function Started({ runtime, view: View }: { runtime: Runtime; view: FunctionComponent }) {
  // The status loads on the first element's mount: a page with the script and no element costs nothing.
  useEffect(() => runtime.state.start(), [runtime])
  return <View />
}

/** Before `LedgerLink.init` runs: the same frame as the panel, so nothing jumps when it loads. */
function Waiting({ text }: { text: string }) {
  return (
    <section class="panel" aria-busy="true">
      <p class="muted busy">
        <span class="spinner" aria-hidden="true" />
        {text}
      </p>
    </section>
  )
}

/**
 * Defines a custom element that renders a Preact component in its own shadow root, with the shared
 * stylesheet and the page's runtime in context. Defining an existing name is a no-op (the script
 * may load twice).
 */
export function defineElement(
  name: string,
  view: FunctionComponent,
  options: { loading: string; registry?: CustomElementRegistry },
) {
  const registry = options.registry ?? customElements
  if (registry.get(name)) return
  registry.define(
    name,
    class extends HTMLElement {
      connectedCallback() {
        const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' })
        root.adoptedStyleSheets = [styleSheet()]
        render(<Mount view={view} loading={options.loading} />, root)
      }
      disconnectedCallback() {
        if (this.shadowRoot) render(null, this.shadowRoot)
      }
    },
  )
}
