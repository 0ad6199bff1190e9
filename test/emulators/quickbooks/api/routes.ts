import { Hono, type Context } from 'hono'
import type { QboCore } from '../core.ts'
import type { WriteContext } from '../entities/context.ts'
import { kindOf } from '../entities/registry.ts'
import { writeEntity } from '../entities/write.ts'
import { faults } from '../errors.ts'
import { QBO } from '../facts.ts'
import { intuitResponseTime } from '../time.ts'
import { runBatch } from './batch.ts'
import { runCdc } from './cdc.ts'
import { apiGuard, type ApiEnv } from './guard.ts'
import { runQuery } from './query-run.ts'
import { answer, jsonResponse } from './respond.ts'

export function writeContext(core: QboCore, c: Context<ApiEnv>): WriteContext {
  const include = (c.req.query('include') ?? '').toLowerCase().split(',').filter(Boolean)
  return { company: c.get('company'), now: core.clock.now(), include: new Set(include), invisible: new Set() }
}

async function readJson(c: Context): Promise<unknown> {
  try {
    return JSON.parse(await c.req.text()) as unknown
  } catch {
    throw faults.malformedJson()
  }
}

/**
 * The accounting API under `/v3/company/{realmId}` (2.3): read, create/update/delete/void, query,
 * batch and CDC. `minorversion` is accepted and ignored, because every request runs as 75 now.
 */
export function apiRoutes(core: QboCore, settings: { lowercaseAuthFault: boolean }) {
  const app = new Hono<ApiEnv>()
  const base = `${QBO.paths.api}/:realmId`
  app.use(`${base}/*`, ...apiGuard(core, settings))
  const now = () => core.clock.now()
  const wrap = (body: Record<string, unknown>) => jsonResponse({ ...body, time: intuitResponseTime(now()) })

  const query = (c: Context<ApiEnv>, text: string | undefined) =>
    answer(now, () => {
      if (!text) throw faults.requiredParam('query')
      return wrap({ QueryResponse: runQuery(c.get('company'), core.schema, text) })
    })
  app.get(`${base}/query`, (c) => query(c, c.req.query('query')))
  app.post(`${base}/query`, async (c) => query(c, (await c.req.text()) || c.req.query('query')))

  app.post(`${base}/batch`, (c) =>
    answer(now, async () => wrap(runBatch(core, writeContext(core, c), await readJson(c)))),
  )
  app.get(`${base}/cdc`, (c) =>
    answer(now, () =>
      wrap(runCdc(core, c.get('company'), c.req.query('entities'), c.req.query('changedSince'))),
    ),
  )

  // Singletons read without an id: GET /preferences, and GET /companyinfo/{realmId}.
  app.get(`${base}/preferences`, (c) =>
    answer(now, () => wrap({ Preferences: c.get('company').preferences() })),
  )

  app.get(`${base}/:entity/:id`, (c) =>
    answer(now, () => {
      const kind = kindOf(c.req.param('entity'))
      if (!kind) throw faults.unsupportedOperation('read', c.req.param('entity'))
      const company = c.get('company')
      const id = kind.type === 'CompanyInfo' ? company.info().Id : c.req.param('id')
      const entity = company.get(kind.type, id)
      if (!entity) throw faults.notFound(kind.type, id)
      return wrap({ [kind.type]: entity })
    }),
  )

  app.post(`${base}/:entity`, (c) =>
    answer(now, async () => {
      const kind = kindOf(c.req.param('entity'))
      if (!kind) throw faults.unsupportedOperation('create', c.req.param('entity'))
      const body = await readJson(c)
      const entity = writeEntity(core.schema, kind, writeContext(core, c), body, c.req.query('operation'))
      return wrap({ [kind.type]: entity })
    }),
  )
  return app
}
