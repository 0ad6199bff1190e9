import { createHash } from 'node:crypto'

/**
 * HTML for the read-only web pages an emulator serves where the provider's web app would (the
 * links the adapters return open them; pages.ts lays them out): every interpolated value escaped,
 * no script, under a CSP that allows only the page's own stylesheet.
 */

/** Every emulator's index of what its organisations hold (`npm start` prints it). */
export const BOOKS_PATH = '/books'

/** Text already escaped (or markup built by `html`), to be inserted as is. */
export class SafeHtml {
  readonly value: string
  constructor(value: string) {
    this.value = value
  }
  toString() {
    return this.value
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!)

/** What a template may interpolate: text and numbers (escaped), markup, lists of either, or nothing. */
export type Interpolated = SafeHtml | string | number | null | undefined | false | readonly Interpolated[]

const piece = (value: Interpolated): string => {
  if (value instanceof SafeHtml) return value.value
  if (Array.isArray(value)) return (value as readonly Interpolated[]).map(piece).join('')
  if (value === null || value === undefined || value === false) return ''
  return escapeHtml(String(value))
}

/** A template whose every `${value}` is escaped, unless it is SafeHtml (or an array of it). */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  return new SafeHtml(
    strings.reduce((out, s, i) => out + s + (i < values.length ? piece(values[i]) : ''), ''),
  )
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem 3rem}
.banner{background:#fff4ce;border-bottom:1px solid #e0c868;padding:.6rem 1.5rem;font-size:14px}
h1{font-size:1.5rem;margin:.8rem 0 .2rem}h2{font-size:1.1rem;margin:1.6rem 0 .4rem}
.muted{color:#5b6470}table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #dde1e6;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dt{color:#5b6470}dd{margin:0;overflow-wrap:anywhere}td{overflow-wrap:anywhere}.status{font-weight:600}`

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64')
/** Built whole, so no formatting of the page's markup can add text to what the hash covers. */
const STYLE_ELEMENT = new SafeHtml(`<style>${STYLE}</style>`)

/** No script of any kind, no frames, no forms, nothing loaded: only the page's own stylesheet. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** A whole page with the banner that says whose emulator this is. */
export function page(provider: string, title: string, body: SafeHtml, status = 200): Response {
  const doc = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${provider} (local emulator)</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <div class="banner" role="note">
          Local emulator of ${provider}: test data in memory on this machine, not the real ${provider}.
          <a href="${BOOKS_PATH}">Books</a>
        </div>
        <main>${body}</main>
      </body>
    </html>`
  return new Response(doc.value, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  })
}

export const notFoundPage = (provider: string, what: string) =>
  page(
    provider,
    'Not found',
    html`<h1>Not found</h1>
      <p>${provider} has no ${what} here.</p>`,
    404,
  )

/** An amount in the document's currency, as a bookkeeper reads it ("£1,234.50"). */
export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount)
  } catch {
    return `${amount.toFixed(2)} ${currency}`
  }
}
