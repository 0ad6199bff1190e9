import { InvoiceBadge } from './badges/invoice-badge.tsx'
import { coreWords } from './badges/words.ts'
import { defineElement } from './elements/define-element.tsx'
import { resolveLocale } from './locale.ts'
import { createPage, pageRuntime, type InitOptions } from './runtime.ts'

/** A call the host made before the script loaded: `['init', options]` (or an `arguments` object). */
type QueuedCall = ArrayLike<unknown>

/** `window.LedgerLink` once the script has run. */
export interface LedgerLinkGlobal {
  readonly loaded: true
  init(options: InitOptions): void
  /** Calls pushed here run at once, so a host's stub keeps working after the script loads. */
  q: { push(...calls: QueuedCall[]): number }
}

/** What a host may set before the script loads: `{ q: [['init', { … }]] }`, or a stub that pushes. */
type Stub = { loaded?: undefined; q?: QueuedCall[] }

declare global {
  interface Window {
    LedgerLink?: LedgerLinkGlobal | Stub
  }
}

/** The script tag's `data-base-url`, `data-token-url`, `data-locale` and `data-consent`. */
function fromScript(script: HTMLOrSVGScriptElement | null): InitOptions {
  const data: DOMStringMap = script instanceof HTMLScriptElement ? script.dataset : {}
  const options: Record<string, string> = {}
  for (const key of ['baseUrl', 'tokenUrl', 'locale', 'consent']) if (data[key]) options[key] = data[key]
  return options
}

/**
 * Installs `window.LedgerLink` and the custom elements. Safe to run twice (the second run returns
 * the first install); drains calls queued before it loaded; configures itself from the script's
 * data attributes when no queued `init` did.
 */
export function install(win: Window, script: HTMLOrSVGScriptElement | null): LedgerLinkGlobal {
  const existing = win.LedgerLink
  if (existing?.loaded) return existing
  const attributes = fromScript(script)
  const src = script instanceof HTMLScriptElement && script.src ? script.src : win.location.href
  const lang = win.document.documentElement.lang

  function init(options: InitOptions) {
    if (pageRuntime.value) {
      console.warn('LedgerLink.init was called again: the first configuration stays.')
      return
    }
    pageRuntime.value = createPage(
      { ...attributes, ...options },
      { fallbackBaseUrl: new URL(src).origin, lang },
    )
  }
  function run(call: QueuedCall) {
    const [method, options] = Array.from(call)
    try {
      if (method !== 'init') throw new Error(`LedgerLink has no method ${String(method)}`)
      init(options as InitOptions)
    } catch (error) {
      console.error(error)
    }
  }

  const api: LedgerLinkGlobal = {
    loaded: true,
    init,
    q: {
      push(...calls) {
        calls.forEach(run)
        return 0
      },
    },
  }
  win.LedgerLink = api
  // Before init, the elements say they are loading in the page's language.
  const words = () => coreWords(pageRuntime.value?.locale ?? resolveLocale(attributes.locale ?? lang))
  const registry = win.customElements
  // Badges are in this script; the panel, the sync button and the history are chunks of their own,
  // loaded from the script's origin the first time one is on the page.
  defineElement('ledgerlink-invoice-badge', {
    load: { view: InvoiceBadge },
    waiting: () => words().checking,
    frame: 'inline',
    attributes: ['invoice-id', 'show-action'],
    registry,
  })
  defineElement('ledgerlink-connection', {
    load: () => import('./panel/panel.tsx').then((m) => m.element),
    waiting: () => words().panelLoading,
    frame: 'panel',
    registry,
  })
  defineElement('ledgerlink-sync-button', {
    load: () => import('./sync-button/sync-button.tsx').then((m) => m.element),
    waiting: () => words().loading,
    frame: 'inline',
    attributes: ['kind', 'history-url'],
    registry,
  })
  defineElement('ledgerlink-sync-history', {
    load: () => import('./history/history.tsx').then((m) => m.element),
    waiting: () => words().loading,
    frame: 'panel',
    attributes: ['kind', 'status', 'run'],
    registry,
  })
  for (const call of existing?.q ?? []) run(call)
  if (!pageRuntime.value && attributes.tokenUrl) run(['init', {}])
  return api
}
