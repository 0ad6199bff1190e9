import { styleSheet } from '../styles/sheet.ts'

let region: HTMLElement | null = null

/**
 * The page's one live region (polite), in a shadow root of its own at the end of the body: a page
 * of 500 badges says one sentence per change, not 500. Made when the first element mounts, so it
 * is in the page before anything is said (screen readers ignore regions added with their text).
 */
export function ensureLiveRegion(doc: Document = document): HTMLElement {
  if (region?.isConnected && region.ownerDocument === doc) return region
  const host = doc.createElement('ledgerlink-live')
  const root = host.attachShadow({ mode: 'open' })
  root.adoptedStyleSheets = [styleSheet()]
  region = doc.createElement('p')
  region.className = 'sr-only'
  region.setAttribute('role', 'status')
  region.setAttribute('aria-live', 'polite')
  region.setAttribute('aria-atomic', 'true')
  root.append(region)
  doc.body.append(host)
  return region
}

/** Says `text` through the page's live region (the same sentence twice is said twice). */
export function speak(text: string, doc: Document = document) {
  const el = ensureLiveRegion(doc)
  if (el.textContent === text) el.textContent = ''
  queueMicrotask(() => (el.textContent = text))
}

/** What the page's live region says now (tests). */
export const spoken = () => region?.textContent ?? ''
