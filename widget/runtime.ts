import { signal } from '@preact/signals'
import { createApiClient, tokenFromUrl, type ApiClient, type GetToken } from './api/client.ts'
import { createI18n, resolveLocale, type I18n } from './i18n.ts'
import { windowBrowser, type Browser } from './state/browser.ts'
import { createConnectionState, type ConnectionState, type ConsentMode } from './state/connection.ts'

/** What `LedgerLink.init()` accepts; data attributes of the script tag give the same in kebab-case. */
export interface InitOptions {
  /** The LedgerLink server; defaults to the origin the script was loaded from. */
  baseUrl?: string
  /** Returns a fresh embed token from your backend. Or give `tokenUrl`. */
  getToken?: GetToken
  /** A same-origin route of your backend answering `{ token }` to a POST (`data-token-url`). */
  tokenUrl?: string
  /** `en-GB` or `en-US`; defaults to the page's `lang`. */
  locale?: string
  /** `popup` (default; falls back to a full-page redirect when blocked) or `redirect`. */
  consent?: ConsentMode
}

/** Everything the elements of one page share: one session, one status, one set of words. */
export interface Runtime {
  api: ApiClient
  state: ConnectionState
  i18n: I18n
}

/** Set by `init`; elements rendered before it show their loading state until it arrives. */
export const pageRuntime = signal<Runtime | null>(null)

export function createRuntime(
  options: InitOptions,
  deps: { fallbackBaseUrl: string; lang?: string; browser?: Browser; api?: ApiClient; now?: () => number },
): Runtime {
  const getToken = options.getToken ?? (options.tokenUrl ? tokenFromUrl(options.tokenUrl) : undefined)
  if (!getToken) throw new Error('LedgerLink.init needs getToken (or tokenUrl, or data-token-url)')
  if (options.consent && options.consent !== 'popup' && options.consent !== 'redirect')
    throw new Error(
      `LedgerLink.init: consent must be 'popup' or 'redirect', not '${String(options.consent)}'`,
    )
  const api = deps.api ?? createApiClient({ baseUrl: options.baseUrl ?? deps.fallbackBaseUrl, getToken })
  const browser = deps.browser ?? windowBrowser()
  return {
    api,
    state: createConnectionState({ api, browser, consent: options.consent }),
    i18n: createI18n(resolveLocale(options.locale ?? deps.lang), deps.now),
  }
}
