import { createRoute } from '@hono/zod-openapi'
import { getCookie, deleteCookie, setCookie } from 'hono/cookie'
import type { Context } from 'hono'
import { z } from 'zod'
import {
  ChooseOrganisationSchema,
  CompleteConnectionSchema,
  CompletedConsentSchema,
  ConnectionSchema,
  OutstandingWorkSchema,
  StartConnectionSchema,
  StartedConnectionSchema,
  type OAuthResultMessage,
} from '../../../shared/api/connections.ts'
import { ERRORS } from '../../../shared/errors.ts'
import { PROVIDERS } from '../../../shared/providers.ts'
import type { CallbackResult } from '../../connections/service.ts'
import { AppError } from '../../errors.ts'
import type { AppEnv } from '../context.ts'
import { requireSession } from '../middleware/auth.ts'
import { providerPage } from '../provider-page.ts'
import { SECURITY, createRouter, errors, json, jsonBody } from '../openapi.ts'

const admin = {
  security: SECURITY.session,
  middleware: [requireSession({ role: 'admin' })],
  tags: ['Connection'],
}
const COOKIE_PREFIX = 'll_oauth_'
const StartBodySchema = StartConnectionSchema.extend({
  redirectUri: z
    .url()
    .optional()
    .meta({ description: 'One of the server’s registered redirect URIs (default: the first)' }),
})

const OAuthQuerySchema = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(4096).optional(),
  error: z.string().max(200).optional(),
})

/** The `ledgerlink_*` parameters a redirect comes back to returnTo with (widget/state/consent-result.ts). */
const RETURN_PARAMS = {
  outcome: 'ledgerlink_oauth',
  provider: 'ledgerlink_provider',
  errorCode: 'ledgerlink_error',
  attemptId: 'ledgerlink_attempt',
  secret: 'ledgerlink_secret',
} as const satisfies Partial<Record<keyof OAuthResultMessage, string>>

function finish(c: Context<AppEnv>, result: CallbackResult) {
  const name = result.provider ? PROVIDERS[result.provider].name : 'your accounting software'
  const error = ERRORS[result.errorCode ?? 'provider_error']
  // A popup with its opener closes before anyone reads this; without one (the link was opened
  // elsewhere), the consent can only finish in the window that started it.
  const words = {
    authorised: [
      'Back to your app',
      `Go back to the window where you clicked Connect to ${name}: it finishes connecting there. You can close this window.`,
    ],
    cancelled: ['Not connected', `You chose not to connect ${name}. You can close this window.`],
    failed: ['Not connected', `${error.message} ${error.action}`],
  }[result.outcome]
  const data: OAuthResultMessage | null = result.provider
    ? {
        type: 'ledgerlink:oauth',
        outcome: result.outcome,
        provider: result.provider,
        ...(result.errorCode ? { errorCode: result.errorCode } : {}),
        ...result.completion,
      }
    : null
  if (result.mode === 'redirect' && result.returnTo && data) {
    const back = new URL(result.returnTo)
    for (const [key, param] of Object.entries(RETURN_PARAMS)) {
      const value = data[key as keyof typeof RETURN_PARAMS]
      if (value) back.searchParams.set(param, value)
    }
    return c.redirect(back.toString(), 303)
  }
  const message = data && result.openerOrigin ? { origin: result.openerOrigin, data } : undefined
  return providerPage(
    c,
    result.outcome === 'failed' && !result.provider ? 400 : 200,
    words[0]!,
    words[1]!,
    message,
  )
}

export const connections = createRouter()
  .openapi(
    createRoute({
      ...admin,
      method: 'post',
      path: '/v1/connections',
      summary: 'Start connecting (or reconnecting) an accounting provider',
      description:
        'Answers the URL to open in a popup (or navigate to). Switching from another provider needs confirmSwitch: true. ' +
        'Reconnecting to the same organisation keeps every mapping and link. Nothing connects until the consent is ' +
        'completed (POST /v1/connections/complete). At most 10 consents per tenant may be open at once and 5 started ' +
        'per session a minute (consent_rate_limited, with Retry-After). A returnTo, redirect URI or Origin the server ' +
        'is not configured for answers configuration_error (the server log names the setting).',
      request: jsonBody(StartBodySchema),
      responses: {
        201: json(StartedConnectionSchema, 'Open authorizeUrl to ask the user for consent'),
        ...errors(
          'unauthenticated',
          'forbidden',
          'provider_switch_unconfirmed',
          'consent_rate_limited',
          'configuration_error',
          'malformed_request',
          'unsupported_media_type',
        ),
      },
    }),
    async (c) => {
      const started = await c.var.services.connections.start(
        c.var.session!,
        c.req.valid('json'),
        c.req.header('origin'),
      )
      return c.json(started, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/oauth/begin',
      tags: ['Connection'],
      summary: 'The browser’s way to the consent page: binds this consent to this browser, then redirects',
      request: { query: z.object({ state: z.string().min(1).max(200) }) },
      responses: {
        302: { description: 'To the provider’s consent page' },
        ...errors(),
        400: { description: 'An HTML page: start again' },
      },
    }),
    async (c) => {
      try {
        const { binding, attemptId, url } = await c.var.services.connections.begin(c.req.valid('query').state)
        setCookie(c, `${COOKIE_PREFIX}${attemptId}`, binding, {
          httpOnly: true,
          sameSite: 'Lax',
          secure: c.var.services.config.publicUrl.startsWith('https:'),
          path: '/v1/oauth',
          maxAge: 600,
        })
        c.header('Cross-Origin-Opener-Policy', 'unsafe-none') // the popup must keep its opener (see providerPage())
        return c.redirect(url.toString(), 302)
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        return providerPage(c, 400, 'Not connected', `${ERRORS[err.code].message} ${ERRORS[err.code].action}`)
      }
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/oauth/callback',
      tags: ['Connection'],
      summary: 'Where the provider sends the browser back (the registered redirect URI)',
      description:
        'Exchanges the code and keeps the result; connects nothing. Hands a one-time completion secret to the ' +
        'window that started the consent: a message to its opener on the origin recorded at start (popup), or ' +
        'the ledgerlink_attempt and ledgerlink_secret parameters of returnTo (redirect).',
      request: { query: OAuthQuerySchema.passthrough() },
      responses: {
        200: { description: 'An HTML page that tells the widget and closes' },
        303: { description: 'Back to the app' },
        ...errors(),
        400: { description: 'An HTML page: start again' },
      },
    }),
    async (c) => {
      const params = new URL(c.req.url).searchParams
      const result = await c.var.services.connections.callback(params, (attemptId) => {
        const value = getCookie(c, `${COOKIE_PREFIX}${attemptId}`)
        deleteCookie(c, `${COOKIE_PREFIX}${attemptId}`, { path: '/v1/oauth' })
        return value
      })
      return finish(c, result)
    },
  )
  .openapi(
    createRoute({
      ...admin,
      method: 'post',
      path: '/v1/connections/complete',
      summary: 'Complete a consent with the secret handed to the window that started it',
      description:
        'Nothing connects before this. Popup mode: only the session that started the consent may complete it; ' +
        'redirect mode (the page reloaded, so the widget has a new session): the same user of the same tenant. ' +
        'The secret is compared in constant time, single use and expires with the consent; a right secret from ' +
        'anyone else is spent too and the grant released at the provider. One organisation: connected; several: ' +
        'the pending choice, made with POST /v1/connections/choose by the same user.',
      request: jsonBody(CompleteConnectionSchema),
      responses: {
        200: json(CompletedConsentSchema, 'Connected, or the organisations to choose from'),
        ...errors('unauthenticated', 'forbidden', 'oauth_state_invalid', 'malformed_request'),
      },
    }),
    async (c) => c.json(await c.var.services.connections.complete(c.var.session!, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      ...admin,
      method: 'post',
      path: '/v1/connections/choose',
      summary: 'Pick the organisation to connect when the consent covered several',
      description: 'Only after POST /v1/connections/complete, by the user who completed the consent.',
      request: jsonBody(ChooseOrganisationSchema),
      responses: {
        200: json(ConnectionSchema, 'Connected'),
        ...errors('unauthenticated', 'forbidden', 'not_found', 'malformed_request'),
      },
    }),
    async (c) => {
      const { attemptId, organisationId } = c.req.valid('json')
      return c.json(await c.var.services.connections.choose(c.var.session!, attemptId, organisationId), 200)
    },
  )
  .openapi(
    createRoute({
      ...admin,
      method: 'get',
      path: '/v1/connection/outstanding',
      summary: 'What the connection still has to do: records queued for it and those that failed',
      description: 'For the Disconnect and switch confirmations: neither sends them anywhere else.',
      responses: {
        200: json(OutstandingWorkSchema, 'By kind of record'),
        ...errors('unauthenticated', 'forbidden', 'no_connection'),
      },
    }),
    async (c) => c.json(await c.var.services.connections.outstanding(c.var.session!.tenant.id), 200),
  )
  .openapi(
    createRoute({
      ...admin,
      method: 'delete',
      path: '/v1/connection',
      summary: 'Disconnect: revoke at the provider, delete the tokens, keep history and links',
      responses: {
        204: { description: 'Disconnected' },
        ...errors('unauthenticated', 'forbidden', 'no_connection'),
      },
    }),
    async (c) => {
      await c.var.services.connections.disconnect(c.var.session!.tenant.id)
      return c.body(null, 204)
    },
  )
