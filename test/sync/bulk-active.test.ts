import { beforeAll, expect, test } from 'vitest'
import { BulkRunListSchema, type BulkRun } from '../../shared/bulk.ts'
import { ACTIVE_RUNS } from '../../server/sync/bulk-runs.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { bulkTenant } from './bulk-support.ts'

/**
 * `GET /v1/sync/bulk?active=true`: the runs of the session's tenant still going, newest first, so
 * a page with a sync button follows a run started on another page. A run that ended (at once,
 * cancelled, or its last job settled unread) is left out; another tenant's is never seen.
 */
const ctx = useEmulatedApp(['xero'])
let x: Awaited<ReturnType<typeof bulkTenant>>
let customer: string

beforeAll(async () => {
  x = await bulkTenant(ctx.t, 'xero', 'bulk-active')
  customer = await x.customer('Active Runs Ltd', 'ap@active.example')
  await x.mapProposals()
})

async function active(token = x.member): Promise<BulkRun[]> {
  const res = await x.call('GET', '/v1/sync/bulk?active=true', token)
  expect(res.status, await res.clone().text()).toBe(200)
  return BulkRunListSchema.parse(await res.json()).data
}

test('running runs are listed newest first with their progress; ended ones are not', async () => {
  expect(await active()).toEqual([])
  // No worker runs: the jobs of these runs stay queued.
  await x.invoice(customer, 'GBP')
  const first = await x.start('invoices')
  ctx.t.advance(1_000)
  await x.invoice(customer, 'GBP')
  const second = await x.start('invoices')
  expect(second.progress).toMatchObject({ total: 1, remaining: 1 })

  const listed = await active()
  expect(listed.map((r) => r.id)).toEqual([second.id, first.id])
  expect(listed[0]).toMatchObject({
    kind: 'invoices',
    finishedAt: null,
    progress: { total: 1, remaining: 1 },
  })

  // A run with nothing to send ends at once; a cancelled one with nothing running has ended.
  const empty = await x.start('invoices')
  expect(empty.finishedAt).not.toBe(null)
  const cancel = await x.call('POST', `/v1/sync/bulk/${first.id}/cancel`, x.member)
  expect(cancel.status).toBe(200)
  expect((await active()).map((r) => r.id)).toEqual([second.id])
})

test('a run is stamped finished when its last job settles, read or not, and the host is told once', async () => {
  const open = () =>
    ctx.t.services.db.all<{ id: string }>(
      "SELECT id FROM sync_runs WHERE tenant_id = 'bulk-active' AND finished_at IS NULL",
    )
  expect((await open()).length).toBeGreaterThan(0)
  const worker = ctx.t.services.sync.worker({ owner: 'active-worker', pollMs: 3_600_000 })
  worker.start()
  await worker.whenIdle()
  await worker.stop()
  expect(await open()).toEqual([])
  expect(await active()).toEqual([])
  const told = await ctx.t.services.db.all<{ record_id: string; n: number }>(
    `SELECT record_id, count(*) AS n FROM app_events
      WHERE tenant_id = 'bulk-active' AND type = 'bulk_run.finished' GROUP BY record_id`,
  )
  expect(told.length).toBeGreaterThan(0)
  expect(told.every((e) => e.n === 1)).toBe(true)
})

test('another tenant’s running run is not listed; no session answers 401', async () => {
  await x.invoice(customer, 'GBP')
  const run = await x.start('invoices')
  expect((await active()).map((r) => r.id)).toEqual([run.id])
  const other = await ctx.t.session({ tenant: 'bulk-active-other', role: 'member', sub: 'other-member' })
  expect(await active(other)).toEqual([])
  expect((await ctx.t.request('/v1/sync/bulk?active=true')).status).toBe(401)
})

test('`active` other than true answers 400 with the field named', async () => {
  for (const query of ['?active=yes', '?active=TRUE', '?active=false', '']) {
    const res = await x.call('GET', `/v1/sync/bulk${query}`, x.member)
    expect(res.status, query).toBe(400)
    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } }
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.details.map((d) => d.path)).toEqual(['query.active'])
  }
})

test('the list reads sync_runs through its tenant index, in order (no sort step)', async () => {
  const plan = await ctx.t.services.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${ACTIVE_RUNS}`, [
    'bulk-active',
  ])
  expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX sync_runs_tenant/)
  expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/TEMP B-TREE/)
})

test('the list is in the OpenAPI description, for members', async () => {
  const doc = (await (await ctx.t.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean }[] }>>
  }
  const get = doc.paths['/v1/sync/bulk']!.get!
  expect(get).toMatchObject({ security: [{ session: [] }], responses: { 200: {}, 400: {}, 401: {} } })
  expect(get.parameters).toEqual([expect.objectContaining({ name: 'active', in: 'query', required: true })])
})
