import { Hono } from 'hono'
import { randomUUID } from 'node:crypto'
import { SAGE_FACTS } from '../facts.ts'
import { findClient, type SageState } from '../state.ts'
import { renderConsentPage, renderErrorPage } from './consent-page.ts'

interface PendingAuthorization {
  clientId: string
  redirectUri: string
  scope: string
  state: string | undefined
  country: string | null
  challenge: { value: string; method: 'S256' | 'plain' } | null
}

function redirectWith(redirectUri: string, params: Record<string, string | undefined>): Response {
  const url = new URL(redirectUri)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v)
  return new Response(null, { status: 302, headers: { location: url.toString() } })
}

const isCountry = (c: string) => (SAGE_FACTS.countries as readonly string[]).includes(c)

/**
 * GET /oauth2/auth/central renders the consent page; the form posts back to the same path.
 * Errors follow Sage's list: a bad client or redirect URI is shown, never redirected to (no open
 * redirect); the others come back on the redirect URI as `error=…`.
 */
export function createAuthorizeRoutes(state: SageState) {
  const pending = new Map<string, PendingAuthorization>()
  const app = new Hono()

  app.get(SAGE_FACTS.paths.authorize, (c) => {
    const q = c.req.query()
    const client = findClient(state, q.client_id)
    if (!client) return c.html(renderErrorPage('unauthorized_client', 'Unknown client_id.'), 400)
    if (!q.redirect_uri || !client.redirectUris.includes(q.redirect_uri))
      return c.html(renderErrorPage('invalid_request', 'redirect_uri is not registered for this app.'), 400)
    const back = (error: string) => redirectWith(q.redirect_uri!, { error, state: q.state })
    if (q.response_type !== 'code') return back('unsupported_response_type')
    const scope = q.scope ?? 'full_access'
    if (!(SAGE_FACTS.scopes as readonly string[]).includes(scope)) return back('invalid_scope')
    const country = q.country?.toLowerCase() ?? null
    if (country !== null && !isCountry(country)) return back('invalid_request')
    let challenge: PendingAuthorization['challenge'] = null
    if (q.code_challenge !== undefined) {
      const method = q.code_challenge_method ?? 'plain'
      if ((method !== 'S256' && method !== 'plain') || !/^[A-Za-z0-9\-._~]{43,128}$/.test(q.code_challenge))
        return back('invalid_request')
      challenge = { value: q.code_challenge, method }
    }
    const requestId = randomUUID()
    pending.set(requestId, {
      clientId: client.clientId,
      redirectUri: q.redirect_uri,
      scope,
      state: q.state,
      country,
      challenge,
    })
    const users = state.users.map((u) => ({
      id: u.id,
      name: `${u.firstName} ${u.lastName}`,
      email: u.email,
      businesses: u.businessIds.map((id) => state.businesses.get(id)?.name ?? id),
    }))
    return c.html(
      renderConsentPage({
        requestId,
        clientId: client.clientId,
        scope,
        countries: country ? null : [...SAGE_FACTS.countries],
        users,
      }),
    )
  })

  app.post(SAGE_FACTS.paths.authorize, async (c) => {
    const form = Object.fromEntries(new URLSearchParams(await c.req.text()))
    const request = pending.get(form.request ?? '')
    if (!request)
      return c.html(renderErrorPage('invalid_request', 'This authorisation request has expired.'), 400)
    pending.delete(form.request!)
    if (form.decision !== 'allow')
      return redirectWith(request.redirectUri, { error: 'access_denied', state: request.state })
    const user = state.users.find((u) => u.id === form.user)
    const country = request.country ?? (form.country ?? '').toLowerCase()
    if (!user || !isCountry(country))
      return redirectWith(request.redirectUri, { error: 'invalid_request', state: request.state })
    const lead = state.businesses.get(user.leadBusinessId)
    // Sage's documented answer when the chosen country is not the business's ("frequently raised errors").
    if (lead?.countryId.toLowerCase() !== country)
      return redirectWith(request.redirectUri, {
        error: 'Invalid request',
        reason: 'Email already in use',
        state: request.state,
      })
    const code = state.grants.issueCode({
      clientId: request.clientId,
      userId: user.id,
      scope: request.scope,
      redirectUri: request.redirectUri,
      country,
      challenge: request.challenge,
    })
    return redirectWith(request.redirectUri, { code, country: country.toUpperCase(), state: request.state })
  })

  return app
}
