import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import { ACCOUNTING_SCOPES, IDENTITY_SCOPES, RETIRED_BROAD_SCOPES } from '../facts.ts'
import type { XeroContext } from '../context.ts'
import { renderConsentPage, renderErrorPage } from './consent-page.ts'

interface PendingRequest {
  clientId: string
  redirectUri: string
  scopes: string[]
  state?: string
  nonce?: string
  codeChallenge?: string
  codeChallengeMethod?: string
}

const KNOWN_SCOPES = new Set<string>([...IDENTITY_SCOPES, ...ACCOUNTING_SCOPES])

function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v)
  return url.toString()
}

/**
 * `/identity/connect/authorize`: checks the request the way Xero's identity server does (an unknown
 * client or unregistered redirect URI never redirects; other errors go back to the app), then
 * renders the consent page, whose form posts the decision back here.
 */
export function authorizeRoutes(ctx: XeroContext) {
  const pending = new Map<string, PendingRequest>()
  const app = new Hono()

  const organisationsOfUser = () =>
    [...ctx.organisations.values()].map((o) => ({ id: o.profile.OrganisationID, name: o.profile.Name }))

  app.get('/identity/connect/authorize', (c) => {
    const q = c.req.query()
    const client = ctx.clients.find((k) => k.clientId === q.client_id)
    if (!client)
      return c.html(renderErrorPage('unauthorized_client', 'Unknown client or client not enabled'), 400)
    if (!q.redirect_uri || !client.redirectUris.includes(q.redirect_uri)) {
      return c.html(renderErrorPage('invalid_request', 'Invalid redirect_uri'), 400)
    }
    const back = (error: string, description: string) =>
      c.redirect(
        redirectWith(q.redirect_uri!, { error, error_description: description, state: q.state }),
        302,
      )
    if (q.response_type !== 'code') return back('unsupported_response_type', 'response_type must be code')
    const scopes = (q.scope ?? '').split(' ').filter(Boolean)
    if (scopes.length === 0) return back('invalid_scope', 'scope is required')
    const unknown = scopes.find((s) => !KNOWN_SCOPES.has(s))
    if (unknown) return back('invalid_scope', `Invalid scope: ${unknown}`)
    const retired = client.granularScopesOnly && scopes.find((s) => RETIRED_BROAD_SCOPES.includes(s))
    if (retired) return back('invalid_scope', `Invalid scope: ${retired}`)
    if (!client.clientSecret && !q.code_challenge) return back('invalid_request', 'code challenge required')
    if (q.code_challenge && !['S256', 'plain'].includes(q.code_challenge_method ?? 'plain')) {
      return back('invalid_request', 'Transform algorithm not supported')
    }
    const requestId = randomUUID()
    pending.set(requestId, {
      clientId: client.clientId,
      redirectUri: q.redirect_uri,
      scopes,
      ...(q.state !== undefined ? { state: q.state } : {}),
      ...(q.nonce ? { nonce: q.nonce } : {}),
      ...(q.code_challenge
        ? { codeChallenge: q.code_challenge, codeChallengeMethod: q.code_challenge_method ?? 'plain' }
        : {}),
    })
    return c.html(
      renderConsentPage({
        requestId,
        appName: client.clientId,
        userEmail: ctx.user.email,
        scopes,
        organisations: organisationsOfUser(),
      }),
    )
  })

  app.post('/identity/connect/authorize/decision', async (c) => {
    const form = await c.req.formData()
    const field = form.get('request')
    const requestId = typeof field === 'string' ? field : ''
    const request = pending.get(requestId)
    if (!request) return c.html(renderErrorPage('invalid_request', 'This sign-in request has expired'), 400)
    if (form.get('decision') !== 'allow') {
      pending.delete(requestId)
      return c.redirect(
        redirectWith(request.redirectUri, { error: 'access_denied', state: request.state }),
        302,
      )
    }
    const tenantIds = form.getAll('tenant').map(String)
    const known = new Set(organisationsOfUser().map((o) => o.id))
    const accounting = request.scopes.some((s) => s.startsWith('accounting.') || s === 'paymentservices')
    if (accounting && (tenantIds.length === 0 || tenantIds.some((t) => !known.has(t)))) {
      return c.html(
        renderConsentPage({
          requestId,
          appName: request.clientId,
          userEmail: ctx.user.email,
          scopes: request.scopes,
          organisations: organisationsOfUser(),
          error: 'Choose at least one organisation',
        }),
        400,
      )
    }
    pending.delete(requestId)
    const authEventId = randomUUID()
    ctx.identity.connect({ userId: ctx.user.userId, clientId: request.clientId, authEventId }, tenantIds)
    const code = ctx.identity.issueCode({
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      userId: ctx.user.userId,
      authEventId,
      ...(request.nonce ? { nonce: request.nonce } : {}),
      ...(request.codeChallenge
        ? { codeChallenge: request.codeChallenge, codeChallengeMethod: request.codeChallengeMethod! }
        : {}),
    })
    return c.redirect(
      redirectWith(request.redirectUri, {
        code,
        scope: request.scopes.join(' '),
        state: request.state,
        session_state: randomUUID(),
      }),
      302,
    )
  })

  return app
}
