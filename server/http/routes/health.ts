import { createRoute } from '@hono/zod-openapi'
import { z } from 'zod'
import { pendingMigrations } from '../../db/migrate.ts'
import { createRouter, json } from '../openapi.ts'
import { ErrorBodySchema } from '../../../shared/errors.ts'
import { errorBody } from '../errors.ts'

const HealthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' })

export const health = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      tags: ['Operations'],
      summary: 'Liveness: the process answers',
      responses: { 200: json(HealthSchema, 'Alive') },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['Operations'],
      summary: 'Readiness: the database answers and every migration is applied',
      responses: {
        200: json(HealthSchema, 'Ready'),
        503: json(ErrorBodySchema, 'Not ready (not_ready)'),
      },
    }),
    async (c) => {
      try {
        if ((await pendingMigrations(c.var.services.db)).length === 0)
          return c.json({ status: 'ok' as const }, 200)
      } catch (err) {
        c.var.log.warn('readiness check failed', { err })
      }
      return c.json(errorBody('not_ready', c.var.requestId), 503)
    },
  )
