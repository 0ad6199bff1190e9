import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi'
import { z } from 'zod'
import { ERRORS, ErrorBodySchema, type ErrorCode } from '../../shared/errors.ts'
import type { AppEnv } from './context.ts'
import { validationHook } from './errors.ts'

/** A sub-app whose failed validations answer with our error model. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
}

export const SECURITY: Record<'session' | 'apiKey', { [scheme: string]: string[] }[]> = {
  session: [{ session: [] }],
  apiKey: [{ apiKey: [] }],
}

/** A required JSON body. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { body: { required: true, description, content: { 'application/json': { schema } } } }
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } }
}

/** The error answers a route documents, grouped by status (one entry per status, codes listed). */
export function errors(...codes: ErrorCode[]): RouteConfig['responses'] {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of ['validation_failed', 'internal', ...codes] as ErrorCode[]) {
    const list = byStatus.get(ERRORS[code].status) ?? []
    if (!list.includes(code)) list.push(code)
    byStatus.set(ERRORS[code].status, list)
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [status, json(ErrorBodySchema, `Error: ${list.join(', ')}`)]),
  )
}

export const TenantParamsSchema = z.object({
  tenantId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'Not a tenant id')
    .meta({ param: { name: 'tenantId', in: 'path' }, example: 'acme-plumbing' }),
})
