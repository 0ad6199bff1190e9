import type { ProviderId } from '../../shared/providers.ts'

/**
 * Walks an emulator's consent page the way a browser would (fetch the page, submit its form) and
 * answers where the provider sends the browser next: our callback with code and state, or an error.
 */
export interface ConsentChoice {
  decision?: 'allow' | 'cancel'
  /** Xero: the organisations ticked (default: the first one offered). */
  organisations?: string[]
}

const hidden = (html: string) =>
  [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(
    ([, name, value]) =>
      [
        name!,
        value!
          .replace(/&amp;/g, '&')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'"),
      ] as const,
  )

async function submit(url: URL | string, form: URLSearchParams): Promise<URL> {
  const res = await fetch(url, { method: 'POST', body: form, redirect: 'manual' })
  if (res.status !== 302 && res.status !== 303)
    throw new Error(`consent answered ${res.status}: ${await res.text()}`)
  return new URL(res.headers.get('location')!)
}

export async function giveConsent(
  provider: ProviderId,
  authorizeUrl: string,
  choice: ConsentChoice = {},
): Promise<URL> {
  const page = await fetch(authorizeUrl)
  const html = await page.text()
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${html.slice(0, 300)}`)
  const form = new URLSearchParams(hidden(html).map(([k, v]) => [k, v]))
  form.set('decision', choice.decision ?? 'allow')
  if (provider === 'xero') {
    const offered = [...html.matchAll(/name="tenant" value="([^"]+)"/g)].map((m) => m[1]!)
    for (const t of choice.organisations ?? offered.slice(0, 1)) form.append('tenant', t)
    return submit(new URL('/identity/connect/authorize/decision', page.url), form)
  }
  if (provider === 'sage') {
    form.set('user', /name="user" value="([^"]+)"/.exec(html)![1]!)
    if (html.includes('name="country"')) form.set('country', 'gb')
    return submit(page.url, form)
  }
  const realm = /name="realmId" value="([^"]+)"/.exec(html)?.[1]
  if (realm) form.set('realmId', realm)
  return submit(new URL('/connect/oauth2', page.url), form)
}
