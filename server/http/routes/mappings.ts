import { createRoute } from '@hono/zod-openapi'
import { ERRORS } from '../../../shared/errors.ts'
import {
  ChartSchema,
  ContactPageQuerySchema,
  ContactPageSchema,
  CreateItemSchema,
  CreatedItemSchema,
  MappingsViewSchema,
  PutMappingsSchema,
} from '../../../shared/mappings.ts'
import { CODE_OF_KIND } from '../../connections/provider-errors.ts'
import { AppError } from '../../errors.ts'
import { ProviderError } from '../../providers/provider.ts'
import { requireSession } from '../middleware/auth.ts'
import { SECURITY, TenantParamsSchema, createRouter, errors, json, jsonBody } from '../openapi.ts'
import type { Queryable } from '../../db/client.ts'
import { requireTenant } from '../../records/common.ts'
import { hostRoute } from './resource.ts'

/**
 * The mapping editor's routes: members read the mappings and the chart for the menus; only admins
 * change mappings, refresh the chart or create a QuickBooks item. The tenant is the session's.
 */
const member = { security: SECURITY.session, middleware: [requireSession()], tags: ['Mappings'] }
const admin = { ...member, middleware: [requireSession({ role: 'admin' })] }
/** The host backend reads the same chart by API key, for its own menus or an import. */
const host = { ...hostRoute, tags: ['Mappings'] }
// What reading the chart can answer: no usable connection, or the provider's own failure.
const READ_ERRORS = [
  'unauthenticated',
  'no_connection',
  'connection_expired',
  'connection_revoked',
  'provider_error',
  'provider_unavailable',
  'provider_rate_limited',
] as const

/** A host's read for one tenant: the tenant must exist, and the provider's failure is the bookkeeper's error. */
async function forTenant<T>(
  c: { var: { services: { db: Queryable } } },
  tenantId: string,
  read: () => Promise<T>,
) {
  await requireTenant(c.var.services.db, tenantId)
  return viaProvider(read)
}
const HOST_READ_ERRORS = [...READ_ERRORS, 'not_found'] as const

/** The provider's failure as the bookkeeper's error, its own words kept where they explain a refusal. */
async function viaProvider<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err
    const refused = err.kind === 'validation' || err.kind === 'conflict'
    const code = refused ? 'provider_refused' : CODE_OF_KIND[err.kind]
    throw new AppError(code, {
      message: refused ? `${ERRORS[code].message} It said: “${err.message}”` : ERRORS[code].message,
      headers: err.retryAfterMs ? { 'Retry-After': String(Math.ceil(err.retryAfterMs / 1000)) } : {},
      cause: err,
    })
  }
}

export const mappings = createRouter()
  .openapi(
    createRoute({
      ...member,
      method: 'get',
      path: '/v1/mappings',
      summary: 'The account, item, tax and payment mappings, each mapped, missing or stale, with proposals',
      description:
        'Proposals come from the organisation’s chart (its sales account, a tax rate of the same percentage, a bank account) and are never applied: an admin saves them with PUT.',
      responses: { 200: json(MappingsViewSchema, 'The mappings'), ...errors(...READ_ERRORS) },
    }),
    async (c) => c.json(await viaProvider(() => c.var.services.mappings.view(c.var.session!.tenant.id)), 200),
  )
  .openapi(
    createRoute({
      ...admin,
      method: 'put',
      path: '/v1/mappings',
      summary: 'Set or clear mappings (admins): every choice is checked against the chart, all saved or none',
      request: jsonBody(PutMappingsSchema),
      responses: {
        200: json(MappingsViewSchema, 'The mappings after the change'),
        ...errors(...READ_ERRORS, 'forbidden', 'malformed_request', 'unsupported_media_type'),
      },
    }),
    async (c) => {
      const session = c.var.session!
      const { mappings: changes } = c.req.valid('json')
      const view = await viaProvider(() =>
        c.var.services.mappings.apply(session.tenant.id, changes, session.user.id),
      )
      return c.json(view, 200)
    },
  )
  .openapi(
    createRoute({
      ...member,
      method: 'get',
      path: '/v1/mappings/chart',
      summary: 'The organisation’s accounts, tax rates, currencies and items, for the mapping menus',
      description: 'Cached for a few minutes; POST /v1/mappings/chart/refresh reads it again now.',
      responses: { 200: json(ChartSchema, 'The chart'), ...errors(...READ_ERRORS) },
    }),
    async (c) =>
      c.json(await viaProvider(() => c.var.services.mappings.chart(c.var.session!.tenant.id)), 200),
  )
  .openapi(
    createRoute({
      ...admin,
      method: 'post',
      path: '/v1/mappings/chart/refresh',
      summary: 'Read the chart again now (after a change in the accounting software)',
      responses: { 200: json(ChartSchema, 'The chart as read now'), ...errors(...READ_ERRORS, 'forbidden') },
    }),
    async (c) =>
      c.json(
        await viaProvider(() => c.var.services.mappings.chart(c.var.session!.tenant.id, { refresh: true })),
        200,
      ),
  )
  .openapi(
    createRoute({
      ...admin,
      method: 'post',
      path: '/v1/mappings/items',
      summary: 'Create a product or service for a category and map the category to it (QuickBooks)',
      description:
        'Only on the admin’s request: the item is a Service posting to the category’s income account (or the default account). Providers whose lines need no item answer not_supported.',
      request: jsonBody(CreateItemSchema),
      responses: {
        201: json(CreatedItemSchema, 'The item, and the mappings with it'),
        ...errors(
          ...READ_ERRORS,
          'forbidden',
          'malformed_request',
          'unsupported_media_type',
          'not_supported',
          'conflict',
          'provider_refused',
        ),
      },
    }),
    async (c) => {
      const session = c.var.session!
      const created = await viaProvider(() =>
        c.var.services.mappings.createItem(session.tenant.id, c.req.valid('json'), session.user.id),
      )
      return c.json(created, 201)
    },
  )
  .openapi(
    createRoute({
      ...host,
      method: 'get',
      path: '/v1/tenants/{tenantId}/accounting/chart',
      summary: 'The tenant’s accounts, tax rates, currencies and items, as read from its accounting software',
      description:
        'The cached read (a few minutes old at most; `fetchedAt` says when). POST …/accounting/chart/refresh reads it again now.',
      request: { params: TenantParamsSchema },
      responses: { 200: json(ChartSchema, 'The chart'), ...errors(...HOST_READ_ERRORS) },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      return c.json(await forTenant(c, tenantId, () => c.var.services.mappings.chart(tenantId)), 200)
    },
  )
  .openapi(
    createRoute({
      ...host,
      method: 'post',
      path: '/v1/tenants/{tenantId}/accounting/chart/refresh',
      summary: 'Read the tenant’s chart again now',
      request: { params: TenantParamsSchema },
      responses: {
        200: json(ChartSchema, 'The chart as read now'),
        ...errors(...HOST_READ_ERRORS),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const read = () => c.var.services.mappings.chart(tenantId, { refresh: true })
      return c.json(await forTenant(c, tenantId, read), 200)
    },
  )
  .openapi(
    createRoute({
      ...host,
      method: 'get',
      path: '/v1/tenants/{tenantId}/accounting/contacts',
      summary: 'A page of the tenant’s customers in its accounting software, for an import',
      description:
        'Active customers, 100 a page in the accounting software’s order (Xero keeps customers and suppliers in one list: every active contact). Each page is kept for a few minutes (`fetchedAt` says when it was read); POST …/accounting/contacts/refresh reads again.',
      request: { params: TenantParamsSchema, query: ContactPageQuerySchema },
      responses: {
        200: json(ContactPageSchema, 'The page'),
        ...errors(...HOST_READ_ERRORS),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const { page } = c.req.valid('query')
      return c.json(await forTenant(c, tenantId, () => c.var.services.mappings.contacts(tenantId, page)), 200)
    },
  )
  .openapi(
    createRoute({
      ...host,
      method: 'post',
      path: '/v1/tenants/{tenantId}/accounting/contacts/refresh',
      summary: 'Forget the kept pages of customers and read the first again now',
      request: { params: TenantParamsSchema },
      responses: {
        200: json(ContactPageSchema, 'The first page, as read now'),
        ...errors(...HOST_READ_ERRORS),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const read = () => c.var.services.mappings.contacts(tenantId, 1, { refresh: true })
      return c.json(await forTenant(c, tenantId, read), 200)
    },
  )
