import { createI18n, type I18n, type Messages } from '../i18n.ts'
import { createPage, type InitOptions, type Page, type PageDeps } from '../runtime.ts'
import type { ApiClient } from '../api/client.ts'
import { windowBrowser, type Browser } from './browser.ts'
import { createConnectionState, type Announcement, type ConnectionState } from './connection.ts'

/** What the connection panel's components share (from context): the page's API, its state, its words. */
export interface Runtime {
  api: ApiClient
  state: ConnectionState
  i18n: I18n
  page: Page
}

function say(t: Messages, a: Announcement): string {
  switch (a.kind) {
    case 'connected':
      return t.announce.connected(a.provider, a.organisation)
    case 'notConnected':
      return t.announce.notConnected
    default:
      return t.announce[a.kind](a.provider)
  }
}

const made = new WeakMap<Page, Runtime>()

/**
 * The panel's runtime on a page: made the first time a panel is shown, then shared by every panel.
 * It speaks through the page's one live region (`page.announce`), never a region of its own.
 */
export function runtimeOf(page: Page, browser: Browser = windowBrowser()): Runtime {
  let runtime = made.get(page)
  if (!runtime) {
    const { api, consent } = page
    const i18n = createI18n(page.locale, page.format.now)
    const announce = (a: Announcement) => page.announce(say(i18n.t, a))
    runtime = { api, state: createConnectionState({ api, browser, consent, announce }), i18n, page }
    made.set(page, runtime)
  }
  return runtime
}

/** A page and its panel runtime at once (tests, and hosts that render the panel themselves). */
export function createRuntime(options: InitOptions, deps: PageDeps & { browser?: Browser }): Runtime {
  return runtimeOf(createPage(options, deps), deps.browser)
}
