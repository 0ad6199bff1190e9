import { createRoute } from '@hono/zod-openapi'
import { PutTenantSchema, TenantSchema, type TenantView } from '../../../shared/api/tenants.ts'
import { createTenantsRepo, type Tenant } from '../../db/repos/tenants.ts'
import { AppError } from '../../errors.ts'
import { TenantParamsSchema, createRouter, errors, json, jsonBody } from '../openapi.ts'
import { hostRoute } from './resource.ts'

const view = (t: Tenant): TenantView => ({
  id: t.id,
  name: t.name,
  createdAt: new Date(t.createdAt).toISOString(),
  updatedAt: new Date(t.updatedAt).toISOString(),
})

export const tenants = createRouter()
  .openapi(
    createRoute({
      ...hostRoute,
      tags: ['Tenants'],
      method: 'put',
      path: '/v1/tenants/{tenantId}',
      summary: 'Create or rename a tenant (one account of the host app)',
      description: 'Idempotent: the id is yours. Embed tokens for an unknown tenant create it too.',
      request: { params: TenantParamsSchema, ...jsonBody(PutTenantSchema) },
      responses: {
        200: json(TenantSchema, 'The tenant existed and is updated'),
        201: json(TenantSchema, 'The tenant was created'),
        ...errors('unauthenticated', 'malformed_request', 'unsupported_media_type'),
      },
    }),
    async (c) => {
      const repo = createTenantsRepo(c.var.services.db, c.var.services.now)
      const { tenant, created } = await repo.upsert(c.req.valid('param').tenantId, c.req.valid('json').name)
      return created ? c.json(view(tenant), 201) : c.json(view(tenant), 200)
    },
  )
  .openapi(
    createRoute({
      ...hostRoute,
      tags: ['Tenants'],
      method: 'get',
      path: '/v1/tenants/{tenantId}',
      summary: 'Get a tenant',
      request: { params: TenantParamsSchema },
      responses: { 200: json(TenantSchema, 'The tenant'), ...errors('unauthenticated', 'not_found') },
    }),
    async (c) => {
      const tenant = await createTenantsRepo(c.var.services.db).get(c.req.valid('param').tenantId)
      if (!tenant) throw new AppError('not_found', { message: 'We could not find that tenant.' })
      return c.json(view(tenant), 200)
    },
  )
