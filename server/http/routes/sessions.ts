import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import {
  ExchangeEmbedTokenSchema,
  NewSessionSchema,
  PasswordSignInSchema,
  SessionInfoSchema,
  SignUpSchema,
  StatusSchema,
  type SessionInfo,
  type Status,
} from '../../../shared/api/sessions.ts'
import type { Session, SessionUser } from '../../auth/sessions.ts'
import type { AppEnv } from '../context.ts'
import { clientAddress } from '../client-address.ts'
import { jsonAnswer } from '../answer-headers.ts'
import { requireSession } from '../middleware/auth.ts'
import { SECURITY, createRouter, errors, json, jsonBody } from '../openapi.ts'

const info = (s: Pick<SessionUser, 'user' | 'tenant'>, session: Session): SessionInfo => ({
  expiresAt: new Date(session.expiresAt).toISOString(),
  user: s.user,
  tenant: s.tenant,
})

/** Looks the new session up once, so the answer carries the user and tenant as stored. */
async function answer(c: Context<AppEnv>, created: { token: string }) {
  const s = (await c.var.services.sessions.validate(created.token))!
  return { token: created.token, ...info(s, s.session) }
}

export const sessions = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/sessions',
      tags: ['Sessions'],
      summary: 'Exchange an embed token for a session',
      description:
        'The widget sends the embed token its host page got from the host backend. Each token is accepted once. ' +
        'The tenant and user are created or updated from its claims.',
      request: jsonBody(ExchangeEmbedTokenSchema),
      responses: {
        201: json(NewSessionSchema, 'Session created'),
        ...errors(
          'malformed_request',
          'embed_token_invalid',
          'embed_token_replayed',
          'unsupported_media_type',
        ),
      },
    }),
    async (c) => {
      const created = await c.var.services.identity.exchangeEmbedToken(c.req.valid('json').embedToken)
      return c.json(await answer(c, created), 201)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts',
      tags: ['Sessions'],
      summary: 'Sign up with email and password (extension users)',
      description:
        'Creates a tenant of your own with you as its admin, and signs you in. At most 10 sign-ups an hour per client address.',
      request: jsonBody(SignUpSchema),
      responses: {
        201: json(NewSessionSchema, 'Account and session created'),
        ...errors('malformed_request', 'conflict', 'login_throttled', 'unsupported_media_type'),
      },
    }),
    async (c) => {
      const created = await c.var.services.identity.signUp({
        ...c.req.valid('json'),
        address: clientAddress(c),
      })
      return c.json(await answer(c, created), 201)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/sessions/password',
      tags: ['Sessions'],
      summary: 'Sign in with email and password',
      description:
        'Failed attempts are throttled per account and client address, per address, and (slowing, never locking out) per account: 429 with Retry-After.',
      request: jsonBody(PasswordSignInSchema),
      responses: {
        201: json(NewSessionSchema, 'Session created'),
        ...errors('malformed_request', 'invalid_credentials', 'login_throttled', 'unsupported_media_type'),
      },
    }),
    async (c) => {
      const created = await c.var.services.identity.signIn({
        ...c.req.valid('json'),
        address: clientAddress(c),
      })
      return c.json(await answer(c, created), 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/session',
      tags: ['Sessions'],
      summary: 'The current session',
      security: SECURITY.session,
      middleware: [requireSession()],
      responses: { 200: json(SessionInfoSchema, 'The session'), ...errors('unauthenticated') },
    }),
    (c) => {
      const s = c.var.session!
      return c.json(info(s, s.session), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/v1/session',
      tags: ['Sessions'],
      summary: 'Sign out (ends this session only; the accounting connection stays)',
      security: SECURITY.session,
      middleware: [requireSession()],
      responses: { 204: { description: 'Signed out' }, ...errors('unauthenticated') },
    }),
    async (c) => {
      await c.var.services.sessions.invalidate(c.var.session!.session.id)
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/status',
      tags: ['Sessions'],
      summary: 'What the widget shows: who is signed in, and the accounting connection',
      security: SECURITY.session,
      middleware: [requireSession()],
      responses: { 200: json(StatusSchema, 'Status'), ...errors('unauthenticated') },
    }),
    async (c) => {
      // c.get: every read of `c.var` copies all the variables, and this route is the busiest.
      const s = c.get('session')!
      const status = await c.get('services').connections.status(s.tenant.id, c.get('stamp'))
      // Its headers as a plain record: see answer-headers.ts.
      return jsonAnswer(c, { user: s.user, tenant: s.tenant, ...status } satisfies Status, 200)
    },
  )
