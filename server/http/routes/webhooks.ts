import { createRoute, type RouteConfig } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { PROVIDER_IDS, PROVIDERS } from '../../../shared/providers.ts'
import { AppError } from '../../errors.ts'
import { PROVIDER_FACTS } from '../../providers/registry.ts'
import { CloudEventsSchema, LegacyNotificationsSchema } from '../../webhooks/quickbooks.ts'
import { XeroPayloadSchema } from '../../webhooks/xero.ts'
import { WEBHOOK_RECEIVERS, receiveWebhook, type WebhookProvider } from '../../webhooks/inbound.ts'
import type { AppEnv } from '../context.ts'
import { createRouter, errors } from '../openapi.ts'
import { providerPage } from '../provider-page.ts'

/**
 * What providers send on their own: webhooks, and the pages their sites send a browser to (a
 * Disconnect URL). None of it carries a session: a webhook is proven by its signature alone, and a
 * Disconnect URL visit proves nothing (it only asks for a check). Outside the app's JSON-only and
 * body-size rules for /v1 (app.ts): providers choose the content type, and batches run larger.
 */
export const WEBHOOKS_PREFIX = '/v1/webhooks/'

/**
 * QuickBooks batches reach about 1 MB (PROVIDERS 2.8): twice that leaves room, and still refuses a
 * body no provider sends. (A refused delivery would hold back every later one: Intuit waits for
 * the first to be acknowledged.)
 */
export const WEBHOOK_MAX_BODY_BYTES = 2 * 1024 * 1024

const limitBody: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: WEBHOOK_MAX_BODY_BYTES,
  onError: () => {
    throw new AppError('payload_too_large')
  },
})

type BodyContent = NonNullable<NonNullable<RouteConfig['request']>['body']>['content']

/**
 * For the reference only, as plain JSON Schema: a zod schema here would have the body parsed and
 * validated before the handler, and so before its signature is checked over the raw bytes.
 */
const documented = (schema: z.ZodType) => {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input' })
  return { schema: json } as NonNullable<BodyContent[string]>
}

const RECEIVER_DOCS: Record<WebhookProvider, { description: string; content: BodyContent }> = {
  xero: {
    description:
      'Register it as the delivery URL of the app’s Xero webhook, with its signing key as XERO_WEBHOOK_KEY. ' +
      '`x-xero-signature` must be the base64 HMAC-SHA256 of the raw body (XR-W01): a correctly signed ' +
      'delivery, Intent to Receive included, answers 200 with no body and no cookies, any other 401. ' +
      'Events are stored once each (Xero gives no event id: a digest of what each says stands for one) and ' +
      'processed by a job per organisation; nothing calls Xero before the answer. Events of organisations ' +
      'no connection knows are acknowledged and ignored. A signed body that is not a Xero payload answers ' +
      'malformed_request and is kept for inspection.',
    content: { 'application/json': documented(XeroPayloadSchema) },
  },
  quickbooks: {
    description:
      'Register it as the app’s webhook endpoint with Intuit, with its Verifier Token as ' +
      'QUICKBOOKS_WEBHOOK_VERIFIER. `intuit-signature` must be the base64 HMAC-SHA256 of the raw body ' +
      '(QB-P12); any Content-Type is taken. CloudEvents batches (deduplicated on `id`) and the legacy ' +
      '`eventNotifications` format are read; a batch may span several companies. A signed delivery answers ' +
      '200 with no body once its events are stored, events QuickBooks sends that the kit does not sync ' +
      'included; a missing or wrong signature 401. Only a signed body in neither format answers ' +
      'malformed_request, kept for inspection.',
    content: {
      'application/cloudevents+json': documented(CloudEventsSchema),
      'application/json': documented(z.union([CloudEventsSchema, LegacyNotificationsSchema])),
    },
  },
}

export const webhooks = createRouter()

for (const provider of Object.keys(WEBHOOK_RECEIVERS) as WebhookProvider[]) {
  const receiver = WEBHOOK_RECEIVERS[provider]
  const { name } = PROVIDERS[provider]
  webhooks.openapi(
    createRoute({
      method: 'post',
      path: `${WEBHOOKS_PREFIX}${provider}`,
      tags: ['Webhook'],
      summary: `Webhooks from ${name}`,
      description: RECEIVER_DOCS[provider].description,
      middleware: [limitBody] as const,
      request: { body: { required: true, content: RECEIVER_DOCS[provider].content } },
      responses: {
        200: { description: 'Received: no body' },
        401: { description: 'The signature is missing or wrong: no body, nothing kept' },
        ...errors('malformed_request', 'payload_too_large', 'webhooks_not_configured'),
      },
    }),
    async (c) => {
      const services = c.get('services')
      const result = await receiveWebhook(
        { events: services.providerEvents, key: services.config.webhookKeys[provider] },
        provider,
        {
          raw: new Uint8Array(await c.req.arrayBuffer()),
          signature: c.req.header(receiver.signatureHeader),
          contentType: c.req.header('content-type') ?? null,
        },
      )
      if (result.outcome === 'unsigned') {
        c.get('log').info('webhook refused: signature missing or wrong', { provider })
        return c.body(null, 401)
      }
      if (result.outcome === 'malformed')
        throw new AppError('malformed_request', {
          message: `This ${name} webhook could not be read (${result.problem}); it was kept for inspection.`,
        })
      c.get('log').info('webhook received', result)
      return c.body(null, 200)
    },
  )
}

const possessive = (name: string) => (name.endsWith('s') ? `${name}’` : `${name}’s`)

for (const provider of PROVIDER_IDS) {
  const url = PROVIDER_FACTS[provider].disconnectUrl
  if (!url) continue
  const { name, connectLabel } = PROVIDERS[provider]
  webhooks.openapi(
    createRoute({
      method: 'get',
      path: `/v1/oauth/${provider}/disconnected`,
      tags: ['Connection'],
      summary: `${possessive(name)} Disconnect URL: a user removed the app in ${name}`,
      description:
        `Register it as the app’s Disconnect URL with ${name}. The visit is unauthenticated, so it never calls ` +
        `${name}: it records the notice and queues a check job for each connection to that ${url.organisation} ` +
        '(at most one per connection every 5 minutes); a connection whose grant no longer works is then marked ' +
        'revoked. The page answers at once.',
      request: {
        query: z.object({
          [url.query]: z.string().regex(url.pattern, `Not a ${name} ${url.organisation} id`),
        }),
      },
      responses: { 200: { description: 'An HTML page' }, ...errors() },
    }),
    async (c) => {
      const organisationId = c.req.valid('query')[url.query]!
      await c.get('services').connections.providerSideDisconnect(provider, organisationId)
      return providerPage(
        c,
        200,
        `Disconnected from ${name}`,
        // Said before any check has run (a visit may be forged): what the user did, not what we verified.
        `If you disconnected LedgerLink in ${name}, it stops using this ${name} ${url.organisation} once ${name} ` +
          `confirms it, and your app’s settings will show it. To connect again, use ${connectLabel} in your app’s settings.`,
      )
    },
  )
}
