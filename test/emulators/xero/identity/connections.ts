import { Hono } from 'hono'
import type { Context } from 'hono'
import type { XeroContext } from '../context.ts'
import type { Connection } from './store.ts'
import { problem } from '../api/errors.ts'

/** Xero's connection timestamps: UTC, no zone designator, seven fractional digits ([spec] example). */
function connectionDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '0000')
}

function toWire(ctx: XeroContext, c: Connection) {
  return {
    id: c.id,
    authEventId: c.authEventId,
    tenantId: c.tenantId,
    tenantType: c.tenantType,
    tenantName: ctx.organisations.get(c.tenantId)?.profile.Name ?? '',
    createdDateUtc: connectionDate(c.createdAt),
    updatedDateUtc: connectionDate(c.updatedAt),
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** `GET /connections[?authEventId=]` and `DELETE /connections/{id}` ([spec] xero-identity.yaml). */
export function connectionRoutes(ctx: XeroContext) {
  const app = new Hono()
  const grantOf = (c: Context) => {
    const found = ctx.identity.accessToken(c.req.header('authorization')?.replace(/^Bearer /, '') ?? '')
    return found && !found.expired ? found.grant : null
  }
  for (const base of ['/connections', '/Connections']) {
    app.get(base, (c) => {
      const grant = grantOf(c)
      if (!grant) return problem(c, 401)
      const authEventId = c.req.query('authEventId')
      if (authEventId !== undefined && !UUID.test(authEventId))
        return c.json({ error: 'invalid authEventId' }, 400)
      const list = ctx.identity
        .connectionsOf(grant)
        .filter((conn) => authEventId === undefined || conn.authEventId === authEventId)
      return c.json(list.map((conn) => toWire(ctx, conn)))
    })
    app.delete(`${base}/:id`, (c) => {
      const grant = grantOf(c)
      if (!grant) return problem(c, 401)
      return ctx.identity.disconnect(c.req.param('id'), grant) ? c.body(null, 204) : c.body(null, 404)
    })
  }
  return app
}
