import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import type { z } from 'zod'
import { PageQuerySchema, pageOf } from '../../../shared/api/common.ts'
import type { AppEnv } from '../context.ts'
import { requireApiKey } from '../middleware/auth.ts'
import { idempotency } from '../middleware/idempotency.ts'
import { SECURITY, TenantParamsSchema, errors, json, jsonBody } from '../openapi.ts'

/**
 * The four routes every host record has (create, list, get, update), under
 * `/v1/tenants/{tenantId}/<plural>`, authenticated by API key, with Idempotency-Key on create.
 * Each resource file calls this once and adds its own events.
 */
export interface ResourceSpec<
  Create extends z.ZodType,
  Update extends z.ZodType,
  Item extends z.ZodType,
  Query extends z.ZodObject,
> {
  plural: string
  singular: string
  tag: string
  idSchema: z.ZodString
  create: Create
  update: Update
  item: Item
  listFilters?: Query
}

export interface ResourceService<
  Create extends z.ZodType,
  Update extends z.ZodType,
  Rec,
  Query extends z.ZodObject,
> {
  create(tenantId: string, input: z.output<Create>): Promise<Rec>
  get(tenantId: string, id: string): Promise<Rec>
  list(
    tenantId: string,
    query: z.output<typeof PageQuerySchema> & z.output<Query>,
  ): Promise<{ data: Rec[]; nextCursor: string | null }>
  update(tenantId: string, id: string, patch: z.output<Update>): Promise<Rec>
}

/**
 * Turns records as the service keeps them into the answer's items (adds what is derived, such as
 * the sync state), a whole list at a time so that a page costs a fixed number of reads.
 */
export type Presenter<Rec, Item extends z.ZodType> = (
  c: { var: AppEnv['Variables'] },
  tenantId: string,
  records: Rec[],
) => Promise<z.output<Item>[]>

export function idParams(idSchema: z.ZodString) {
  return TenantParamsSchema.extend({ id: idSchema.meta({ param: { name: 'id', in: 'path' } }) })
}

/**
 * Reads validated input inside a generic route. zod-openapi cannot infer the input types of a route
 * whose schemas are type parameters; the schemas did validate, so the cast is safe.
 */
function valid<T>(c: { req: object }, target: 'json' | 'param' | 'query'): T {
  return (c.req as { valid(t: string): T }).valid(target)
}
type Params = { tenantId: string; id: string }

export const hostRoute = { security: SECURITY.apiKey, middleware: [requireApiKey, idempotency] }

export function addResourceRoutes<
  C extends z.ZodType,
  U extends z.ZodType,
  I extends z.ZodType,
  Q extends z.ZodObject,
  Rec = z.output<I>,
>(
  app: OpenAPIHono<AppEnv>,
  spec: ResourceSpec<C, U, I, Q>,
  services: (c: { var: AppEnv['Variables'] }) => ResourceService<C, U, Rec, Q>,
  present: Presenter<Rec, I> = (_c, _tenantId, records) => Promise.resolve(records as z.output<I>[]),
) {
  const one = async (c: { var: AppEnv['Variables'] }, tenantId: string, record: Rec) =>
    (await present(c, tenantId, [record]))[0]!
  const base = `/v1/tenants/{tenantId}/${spec.plural}`
  const params = idParams(spec.idSchema)
  const ListQuery = spec.listFilters ? PageQuerySchema.extend(spec.listFilters.shape) : PageQuerySchema
  const common = { tags: [spec.tag], ...hostRoute }
  const answers = (...extra: Parameters<typeof errors>) => errors('unauthenticated', 'not_found', ...extra)

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: base,
      summary: `Create a ${spec.singular}`,
      request: { params: TenantParamsSchema, ...jsonBody(spec.create) },
      responses: {
        201: json(spec.item, `The new ${spec.singular}`),
        ...answers(
          'malformed_request',
          'conflict',
          'idempotency_key_reused',
          'idempotency_in_progress',
          'unsupported_media_type',
          'payload_too_large',
          'invalid_state_change',
          'payment_exceeds_due',
          'credit_exceeds_remaining',
        ),
      },
    }),
    async (c) => {
      const { tenantId } = valid<Params>(c, 'param')
      return c.json(
        await one(c, tenantId, await services(c).create(tenantId, valid<z.output<C>>(c, 'json'))),
        201,
      )
    },
  )
  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: base,
      summary: `List ${spec.plural.replace('-', ' ')}, oldest first, a page at a time`,
      request: { params: TenantParamsSchema, query: ListQuery },
      responses: { 200: json(pageOf(spec.item), 'A page'), ...answers() },
    }),
    async (c) => {
      const query = c.req.valid('query') as z.output<typeof PageQuerySchema> & z.output<Q>
      const { tenantId } = c.req.valid('param')
      const page = await services(c).list(tenantId, query)
      return c.json({ data: await present(c, tenantId, page.data), nextCursor: page.nextCursor }, 200)
    },
  )
  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: `${base}/{id}`,
      summary: `Get a ${spec.singular}`,
      request: { params },
      responses: { 200: json(spec.item, `The ${spec.singular}`), ...answers() },
    }),
    async (c) => {
      const { tenantId, id } = c.req.valid('param')
      return c.json(await one(c, tenantId, await services(c).get(tenantId, id)), 200)
    },
  )
  app.openapi(
    createRoute({
      ...common,
      method: 'patch',
      path: `${base}/{id}`,
      summary: `Update a ${spec.singular} (every change bumps its version)`,
      request: { params, ...jsonBody(spec.update) },
      responses: {
        200: json(spec.item, `The updated ${spec.singular}`),
        ...answers(
          'malformed_request',
          'conflict',
          'invalid_state_change',
          'payment_exceeds_due',
          'credit_exceeds_remaining',
          'unsupported_media_type',
        ),
      },
    }),
    async (c) => {
      const { tenantId, id } = valid<Params>(c, 'param')
      return c.json(
        await one(c, tenantId, await services(c).update(tenantId, id, valid<z.output<U>>(c, 'json'))),
        200,
      )
    },
  )
  return app
}
