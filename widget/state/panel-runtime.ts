import { createI18n, type I18n } from '../i18n.ts'
import { createPage, type InitOptions, type Page, type PageDeps } from '../runtime.ts'
import type { ApiClient } from '../api/client.ts'
import { windowBrowser, type Browser } from './browser.ts'
import { createConnectionState, type ConnectionState } from './connection.ts'

/** What the connection panel's components share (from context): the page's API, its state, its words. */
export interface Runtime {
  api: ApiClient
  state: ConnectionState
  i18n: I18n
  page: Page
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
    const state = createConnectionState({
      api,
      browser,
      consent,
      announce: (kind, provider, organisation) =>
        page.announce(i18n.t.announce[kind](provider!, organisation!)),
    })
    made.set(page, (runtime = { api, state, i18n, page }))
  }
  return runtime
}

/** A page and its panel runtime at once (tests, and hosts that render the panel themselves). */
export function createRuntime(options: InitOptions, deps: PageDeps & { browser?: Browser }): Runtime {
  return runtimeOf(createPage(options, deps), deps.browser)
}
