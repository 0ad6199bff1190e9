import { render, type FunctionComponent, type ComponentType } from 'preact'
import { PageContext } from '../elements/page-context.ts'
import { pageRuntime } from '../runtime.ts'
import { styleSheet } from '../styles/sheet.ts'
import { Busy } from './busy.tsx'
import { ensureLiveRegion } from './live-region.ts'
import { observable } from './observable.ts'

/** Attribute values by prop name (`invoice-id` → `invoiceId`); null when the attribute is absent. */
export type Attributes = Record<string, string | null>

/** What an element shows: its view and the stylesheets it adopts after the core one. */
export interface ElementModule {
  view: ComponentType<Attributes>
  /** A lazy part's: the sheet the lazy parts share (styles/parts-sheet.ts), then its own. */
  sheets?: CSSStyleSheet[]
}

export interface ElementOptions {
  /** The element's view, or a lazy chunk's (loaded the first time one is shown, then shared). */
  load: ElementModule | (() => Promise<ElementModule>)
  /** Shown before `init` and while a lazy view loads. */
  waiting: () => string
  /** `panel`: the panel's frame, so nothing jumps when it loads; `inline`: a line of text. */
  frame: 'panel' | 'inline'
  /** Attributes observed and handed to the view as props. */
  attributes?: readonly string[]
  registry?: CustomElementRegistry
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())

const Waiting: FunctionComponent<{ text: string; frame: ElementOptions['frame'] }> = ({ text, frame }) => {
  const content = <Busy text={text} />
  return frame === 'panel' ? (
    <section class="panel" aria-busy="true">
      {content}
    </section>
  ) : (
    <span class="frame" aria-busy="true">
      {content}
    </span>
  )
}

/**
 * Defines a custom element that renders a Preact view in its own shadow root, with the shared
 * stylesheet (and its chunk's) and the page in context. Observed attributes become props, so a
 * host that re-renders a row with another `invoice-id` gets the right element. A lazy view loads
 * from its chunk the first time such an element is connected. Defining an existing name is a no-op
 * (the script may load twice).
 */
export function defineElement(name: string, options: ElementOptions) {
  const registry = options.registry ?? customElements
  if (registry.get(name)) return
  const attributes = options.attributes ?? []
  const module = observable(typeof options.load === 'function' ? null : options.load)
  let loading: Promise<void> | null = null
  const load = () => {
    if (module.value || loading || typeof options.load !== 'function') return
    loading = options.load().then(
      (m) => void (module.value = m),
      (error: unknown) => {
        loading = null // the next element to connect tries again
        console.error(`LedgerLink could not load ${name}`, error)
      },
    )
  }

  registry.define(
    name,
    class extends HTMLElement {
      static observedAttributes = attributes
      #stops: (() => void)[] = []

      /** Renders what the element shows now: waiting, or its view with the page and attributes. */
      #render = () => {
        const root = this.shadowRoot
        if (!root || !this.isConnected) return
        const page = pageRuntime.value
        const loaded = module.value
        root.adoptedStyleSheets = [styleSheet(), ...(loaded?.sheets ?? [])]
        if (!page || !loaded) return render(<Waiting text={options.waiting()} frame={options.frame} />, root)
        const props = Object.fromEntries(attributes.map((a) => [camel(a), this.getAttribute(a)]))
        const View = loaded.view
        render(
          <PageContext.Provider value={page}>
            <View {...props} />
          </PageContext.Provider>,
          root,
        )
      }

      connectedCallback() {
        ensureLiveRegion(this.ownerDocument)
        if (!this.shadowRoot) this.attachShadow({ mode: 'open' })
        this.#stops = [pageRuntime.subscribe(this.#render), module.subscribe(this.#render)]
        load()
        this.#render()
      }
      attributeChangedCallback() {
        this.#render()
      }
      disconnectedCallback() {
        for (const stop of this.#stops) stop()
        if (this.shadowRoot) render(null, this.shadowRoot)
      }
    },
  )
}
