import { Hono } from 'hono'
import type { QboCore } from '../core.ts'
import { QBO } from '../facts.ts'
import { renderConsentPage, renderErrorPage } from './consent-page.ts'

const KNOWN_SCOPES = new Set<string>([
  QBO.scopes.accounting,
  QBO.scopes.payment,
  QBO.scopes.openid,
  ...QBO.scopes.identity,
  ...QBO.scopes.other,
])
const PARAMS = ['client_id', 'response_type', 'scope', 'redirect_uri', 'state'] as const

function redirect(to: string, params: Record<string, string>): Response {
  const url = new URL(to)
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  return new Response(null, { status: 302, headers: { location: url.toString() } })
}

/**
 * The authorize endpoint and its consent page (E-Q1). An unknown client or unregistered redirect URI
 * gets an error page; any other problem, and Cancel, goes back to the app with `error`; Connect sends
 * `code`, `state` and `realmId` (2.1). Sign-in-only requests (no accounting/payment scope) pick no company.
 */
export function authorizeRoutes(core: QboCore) {
  const app = new Hono()
  const validate = (p: Record<string, string | undefined>) => {
    const client = core.clients.find((c) => c.clientId === p.client_id)
    if (!client) return { kind: 'page', page: 'The client_id is not registered with Intuit.' } as const
    if (!p.redirect_uri || !client.redirectUris.includes(p.redirect_uri))
      return {
        kind: 'page',
        page: 'The redirect_uri does not match a redirect URI registered for this app.',
      } as const
    const uri = p.redirect_uri
    const back = (error: string) =>
      ({ kind: 'back', response: redirect(uri, { error, ...(p.state ? { state: p.state } : {}) }) }) as const
    if (p.response_type !== 'code') return back('unsupported_response_type')
    const scopes = (p.scope ?? '').split(/\s+/).filter(Boolean)
    if (scopes.length === 0 || scopes.some((s) => !KNOWN_SCOPES.has(s))) return back('invalid_scope')
    if (!p.state) return back('invalid_request')
    const connects = scopes.includes(QBO.scopes.accounting) || scopes.includes(QBO.scopes.payment)
    return { kind: 'ok', client, scopes, connects, redirectUri: uri, state: p.state } as const
  }

  app.get(core.paths.authorize, (c) => {
    const v = validate(c.req.query())
    if (v.kind === 'page') return c.html(renderErrorPage(v.page), 400)
    if (v.kind === 'back') return v.response
    const params = Object.fromEntries(PARAMS.map((k) => [k, c.req.query(k) ?? '']))
    return c.html(
      renderConsentPage({
        action: core.paths.authorize,
        params,
        appName: v.client.clientId,
        scopes: v.scopes,
        companies: v.connects
          ? [...core.companies.values()].map((co) => ({ realmId: co.realmId, name: co.name }))
          : [],
        users: core.users,
      }),
    )
  })

  app.post(core.paths.authorize, async (c) => {
    const form = Object.fromEntries(
      Object.entries(await c.req.parseBody()).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
    )
    const v = validate(form)
    if (v.kind === 'page') return c.html(renderErrorPage(v.page), 400)
    if (v.kind === 'back') return v.response
    if (form.decision !== 'allow') return redirect(v.redirectUri, { error: 'access_denied', state: v.state })
    const user = core.users.find((u) => u.sub === form.user) ?? core.users[0]!
    const realmId = v.connects ? (form.realmId ?? '') : null
    if (realmId !== null && !core.companies.has(realmId))
      return c.html(renderErrorPage('Choose a company to connect.'), 400)
    const code = core.grants.issueCode({
      clientId: v.client.clientId,
      redirectUri: v.redirectUri,
      realmId,
      scopes: v.scopes,
      userSub: user.sub,
    })
    return redirect(v.redirectUri, { code, state: v.state, ...(realmId ? { realmId } : {}) })
  })
  return app
}
