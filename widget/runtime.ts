import { createApiClient, tokenFromUrl, type ApiClient, type GetToken } from './api/client.ts'
import { createBadgeStore, type BadgeStore } from './badges/store.ts'
import { coreWords, type CoreWords } from './badges/words.ts'
import { createFormat, resolveLocale, type Format, type Locale } from './locale.ts'
import { speak } from './elements/live-region.ts'
import { observable } from './elements/observable.ts'

/** How a provider's consent opens: its own way (popup, or redirect for Xero), or one for all. */
export type ConsentMode = 'popup' | 'redirect'

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

/**
 * What every element of one page shares: one session (in the API client), one batched status of
 * the badges, one live region, one locale. The lazy parts (panel, sync button, history) build
 * their own state on it once, the first time they are shown.
 */
export interface Page {
  api: ApiClient
  locale: Locale
  format: Format
  words: CoreWords
  consent: ConsentMode | undefined
  badges: BadgeStore
  /** Says `text` through the page's one live region (polite). */
  announce(text: string): void
}

/** Set by `init`; elements rendered before it show their loading state until it arrives. */
export const pageRuntime = observable<Page | null>(null)

export interface PageDeps {
  fallbackBaseUrl: string
  lang?: string
  api?: ApiClient
  now?: () => number
  /** The live region's voice; by default the page's one region (elements/live-region.ts). */
  announce?: (text: string) => void
  doc?: Document
}

export function createPage(options: InitOptions, deps: PageDeps): Page {
  const getToken = options.getToken ?? (options.tokenUrl ? tokenFromUrl(options.tokenUrl) : undefined)
  if (!getToken) throw new Error('LedgerLink.init needs getToken (or tokenUrl, or data-token-url)')
  if (options.consent && options.consent !== 'popup' && options.consent !== 'redirect')
    throw new Error(
      `LedgerLink.init: consent must be 'popup' or 'redirect', not '${String(options.consent)}'`,
    )
  const api = deps.api ?? createApiClient({ baseUrl: options.baseUrl ?? deps.fallbackBaseUrl, getToken })
  const locale = resolveLocale(options.locale ?? deps.lang)
  const words = coreWords(locale)
  const announce = deps.announce ?? ((text: string) => speak(text))
  return {
    api,
    locale,
    format: createFormat(locale, deps.now),
    words,
    consent: options.consent,
    badges: createBadgeStore({
      api,
      announce: (change) => announce(words.announce(change)),
      doc: deps.doc,
    }),
    announce,
  }
}
