/** The window the consent runs in: a popup we opened, or (in tests) a double of one. */
export interface Popup {
  readonly closed: boolean
  location: { href: string }
  close(): void
  focus?(): void
}

/**
 * What the connection state needs from the page, kept apart so that the state and its tests never
 * touch `window` directly.
 */
export interface Browser {
  /** Must run synchronously inside the click handler, or popup blockers refuse it. */
  openPopup(): Popup | null
  navigate(url: string): void
  href(): string
  replaceUrl(url: string): void
  onMessage(listener: (event: { origin: string; data: unknown }) => void): () => void
  every(ms: number, tick: () => void): () => void
}

const POPUP_FEATURES = 'popup,width=520,height=720'

export function windowBrowser(win: Window = window): Browser {
  return {
    openPopup() {
      try {
        // A blank page first: the authorize URL is only known after the POST, and by then the click
        // no longer counts as a user gesture.
        return win.open('', 'ledgerlink-consent', POPUP_FEATURES)
      } catch {
        return null
      }
    },
    navigate: (url) => win.location.assign(url),
    href: () => win.location.href,
    replaceUrl: (url) => win.history.replaceState(win.history.state, '', url),
    onMessage(listener) {
      win.addEventListener('message', listener)
      return () => win.removeEventListener('message', listener)
    },
    every(ms, tick) {
      const id = win.setInterval(tick, ms)
      return () => win.clearInterval(id)
    },
  }
}
