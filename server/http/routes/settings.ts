import { createRoute } from '@hono/zod-openapi'
import { PatchSyncSettingsSchema, SyncSettingsSchema } from '../../../shared/settings.ts'
import { requireSession } from '../middleware/auth.ts'
import { SECURITY, createRouter, errors, json, jsonBody } from '../openapi.ts'

/** The connection panel's settings: members read them, only admins change them; the tenant is the session's. */
const member = { security: SECURITY.session, middleware: [requireSession()], tags: ['Settings'] }
const admin = { ...member, middleware: [requireSession({ role: 'admin' })] }

export const settings = createRouter()
  .openapi(
    createRoute({
      ...member,
      method: 'get',
      path: '/v1/settings',
      summary: 'The sync switches: sync as a whole, each kind of record, auto-sync on send',
      responses: { 200: json(SyncSettingsSchema, 'The settings'), ...errors('unauthenticated') },
    }),
    async (c) => c.json(await c.var.services.sync.settings.read(c.var.session!.tenant.id), 200),
  )
  .openapi(
    createRoute({
      ...admin,
      method: 'patch',
      path: '/v1/settings',
      summary: 'Turn switches on or off (admins)',
      description:
        'Off queues nothing new of what it covers; work already queued waits, kept and shown as pending, and runs when the switch is turned on again; work already running finishes.',
      request: jsonBody(PatchSyncSettingsSchema),
      responses: {
        200: json(SyncSettingsSchema, 'The settings after the change'),
        ...errors('unauthenticated', 'forbidden', 'malformed_request', 'unsupported_media_type'),
      },
    }),
    async (c) => {
      const session = c.var.session!
      const changed = await c.var.services.sync.settings.update(
        session.tenant.id,
        c.req.valid('json'),
        session.user.id,
      )
      return c.json(changed, 200)
    },
  )
