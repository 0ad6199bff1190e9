import type { Context } from 'hono'
import type { XeroContext } from '../context.ts'
import type { DomainDeps } from '../domain/deps.ts'
import { envelope } from '../domain/wire.ts'
import type { ApiEnv } from './env.ts'
import type { Pagination } from './list.ts'

/** The domain's view of this request: organisation, clock, and webhook events for this tenant. */
export function domainDeps(ctx: XeroContext, c: Context<ApiEnv>): DomainDeps {
  const tenantId = c.var.tenantId
  return {
    org: c.var.org,
    now: c.var.now,
    emit: (category, type, resourceId, data) =>
      ctx.webhooks.record({ tenantId, category, type, resourceId, at: c.var.now, ...(data ? { data } : {}) }),
  }
}

/** `{Id, Status, ProviderName, DateTimeUTC, [pagination], <Collection>: [...]}` */
export function collection(
  c: Context<ApiEnv>,
  name: string,
  items: unknown[],
  pagination?: Pagination,
): Response {
  return c.json(
    envelope(c.var.now, c.var.grant.clientId, { ...(pagination ? { pagination } : {}), [name]: items }),
  )
}

export const unitdpOf = (c: Context<ApiEnv>) => (c.var.query.unitdp as number | undefined) ?? 2

/** A single-element body in a collection envelope, e.g. `{"Invoices":[{…}]}` on POST /Invoices/{id}. */
export function firstOf<T>(c: Context<ApiEnv>, name: string): T[] {
  const list = (c.var.body as Record<string, unknown> | undefined)?.[name]
  return Array.isArray(list) ? (list as T[]) : []
}
