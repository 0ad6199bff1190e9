import type { ProviderId } from '../../shared/providers.ts'
import type { TestApp } from '../helpers/app.ts'
import { giveConsent, type ConsentChoice } from '../helpers/consent.ts'

const ORIGIN = 'http://localhost:3000'

/** The widget's POST /v1/connections, as an admin's browser sends it. */
export function startConnection(t: TestApp, token: string, body: Record<string, unknown>) {
  return t.request('/v1/connections', { method: 'POST', json: body, token, headers: { origin: ORIGIN } })
}

/** What a browser does from the authorize URL on: /begin (cookie), the consent page, back to our callback. */
export async function browse(
  t: TestApp,
  provider: ProviderId,
  authorizeUrl: string,
  choice: ConsentChoice = {},
) {
  const begin = await t.request(new URL(authorizeUrl).pathname + new URL(authorizeUrl).search)
  if (begin.status !== 302) throw new Error(`begin answered ${begin.status}: ${await begin.text()}`)
  const cookie = begin.headers.get('set-cookie')!.split(';')[0]!
  const back = await giveConsent(provider, begin.headers.get('location')!, choice)
  return {
    back,
    cookie,
    callback: (c = cookie) => t.request(back.pathname + back.search, { headers: c ? { cookie: c } : {} }),
  }
}

/** What completes a consent, as the widget reads it: the popup's message, or the redirect's returnTo. */
export function completionOf(page: Response, html: string) {
  const location = page.headers.get('location')
  const params = location ? new URL(location).searchParams : null
  const message = postedMessage(html)
  const attemptId = params ? params.get('ledgerlink_attempt') : message?.attemptId
  const secret = params ? params.get('ledgerlink_secret') : message?.secret
  return attemptId && secret ? { attemptId, secret } : null
}

/** The widget's POST /v1/connections/complete. */
export function complete(t: TestApp, token: string, completion: { attemptId: string; secret: string }) {
  return t.request('/v1/connections/complete', { method: 'POST', token, json: completion })
}

/**
 * The whole consent as the panel makes it: start, consent, callback, completion by the starting
 * session, and (when the consent covered several organisations) the pick. `pick: false` stops
 * before the pick; `complete: false` before the completion.
 */
export async function connect(
  t: TestApp,
  token: string,
  provider: ProviderId,
  choice: ConsentChoice & { pick?: string | false; complete?: false } = {},
  extra: Record<string, unknown> = {},
) {
  const started = await startConnection(t, token, { provider, ...extra })
  if (started.status !== 201) throw new Error(`start answered ${started.status}: ${await started.text()}`)
  const { authorizeUrl } = (await started.json()) as { authorizeUrl: string }
  const flow = await browse(t, provider, authorizeUrl, choice)
  const page = await flow.callback()
  const html = await page.text()
  const completion = completionOf(page, html)
  if (completion && choice.complete !== false) {
    const done = await complete(t, token, completion)
    if (done.status !== 200) throw new Error(`complete answered ${done.status}: ${await done.text()}`)
  }
  const pending = (await status(t, token)).pendingChoice
  if (pending && choice.pick !== false) {
    const organisationId = typeof choice.pick === 'string' ? choice.pick : pending.organisations[0]!.id
    const chosen = await t.request('/v1/connections/choose', {
      method: 'POST',
      token,
      json: { attemptId: pending.attemptId, organisationId },
    })
    if (chosen.status !== 200) throw new Error(`choose answered ${chosen.status}: ${await chosen.text()}`)
  }
  return { page, html, completion, status: await status(t, token) }
}

export async function status(t: TestApp, token: string) {
  return (await (await t.request('/v1/status', { token })).json()) as {
    connection: null | {
      id: string
      provider: string
      status: string
      organisation: { id: string; name: string }
      lastError: null | { code: string; correlationId: string | null }
      reconnectBy: string | null
    }
    pendingChoice: null | { attemptId: string; organisations: { id: string; name: string }[] }
  }
}

/** The message the callback page posts to the widget (from its script tag's data attribute). */
export function postedMessage(html: string) {
  const raw = /data-message="([^"]+)"/.exec(html)?.[1]
  return raw
    ? (JSON.parse(
        raw
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, '&'),
      ) as Record<string, string>)
    : null
}
