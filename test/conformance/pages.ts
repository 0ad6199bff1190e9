import { createHash } from 'node:crypto'
import { expect } from 'vitest'

/**
 * Opening an adapter's link at its emulator over loopback, as a browser would, and what every
 * such page must be: HTML under a CSP that runs no script, hostile text shown as text.
 */
export const HOSTILE = `<script>alert("x")</script> & 'quotes' <img src=x onerror=alert(1)> שלום 🧾`
const HOSTILE_ESCAPED =
  '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &lt;img src=x onerror=alert(1)&gt; שלום 🧾'

export async function openPage(url: string) {
  const res = await fetch(url, { redirect: 'manual' })
  const body = await res.text()
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
  const csp = res.headers.get('content-security-policy') ?? ''
  expect(csp).toContain("default-src 'none'")
  expect(csp).not.toMatch(/script-src|unsafe-inline/)
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  expect(body).toMatch(/Local emulator of /)
  expect(body).not.toMatch(/<script|<img|<[a-z][^>]*\son\w+\s*=/i)
  // The one stylesheet is the one the CSP's hash allows, byte for byte.
  const style = /<style>([\s\S]*?)<\/style>/.exec(body)?.[1] ?? ''
  expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`)
  return { status: res.status, body }
}

/** The hostile text appears once escaped, never as markup. */
export function expectEscaped(body: string) {
  expect(body).toContain(HOSTILE_ESCAPED)
}
