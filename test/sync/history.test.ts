import { afterAll, beforeAll, expect, test } from 'vitest'
import { HistoryPageSchema, HistoryRunDetailSchema, RetryAnswerSchema } from '../../shared/history.ts'
import type { Worker } from '../../server/sync/worker.ts'
import { pruneHistory } from '../../server/sync/history.ts'
import { connect } from '../connections/flow.ts'
import { bulkTenant, type BulkTenant } from '../fixtures/bulk-tenant.ts'
import { useEmulatedApp } from '../helpers/providers.ts'

/**
 * The sync history: a bulk run with a failure is one run of the history, with the failed invoice in
 * the bookkeeper's words; retried from the history route, the failure is fixed and the history tells
 * both runs (the retry naming the run it retried); filters by status, kind, day and text; pages;
 * it survives a switch of provider; each tenant's retention prunes it.
 */
const ctx = useEmulatedApp(['xero', 'quickbooks'])
let worker: Worker
let tenant: BulkTenant
let travel: { id: string; number: string }

beforeAll(async () => {
  worker = ctx.t.services.sync.worker({ owner: 'history-worker', pollMs: 3_600_000 })
  worker.start()
  tenant = await bulkTenant(ctx.t, 'xero', { tenant: 'history', prefix: 'HIS', customers: 1, invoices: 2 })
  // One more invoice, of a category with no account, and no default account to fall back on.
  await ctx.t.db.run("DELETE FROM sync_mappings WHERE connection_id = ? AND kind = 'default_account'", [
    tenant.connectionId,
  ])
  const customer = await ctx.t.db.get<{ customer_id: string }>(
    'SELECT customer_id FROM invoices WHERE id = ?',
    [tenant.invoiceIds[0]!],
  )
  const res = await ctx.t.request(`/v1/tenants/${tenant.tenant}/invoices`, {
    method: 'POST',
    token: tenant.key,
    json: {
      number: 'HIS-TRAVEL',
      customerId: customer!.customer_id,
      currency: 'GBP',
      issueDate: '2026-11-01',
      dueDate: '2026-11-30',
      status: 'sent',
      lines: [
        {
          description: 'Mileage',
          quantity: '1',
          unitPrice: '30.00',
          category: 'Travel',
          taxCode: 'VAT20',
          taxRate: '20',
        },
      ],
    },
  })
  expect(res.status, await res.clone().text()).toBe(201)
  travel = { id: ((await res.json()) as { id: string }).id, number: 'HIS-TRAVEL' }
})
afterAll(async () => {
  await worker.stop()
})

const get = async (path: string, token = tenant.admin) => {
  const res = await ctx.t.request(path, { token })
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json() as Promise<unknown>
}
const list = async (query = '') => HistoryPageSchema.parse(await get(`/v1/sync/history${query}`))
const detail = async (id: string) => HistoryRunDetailSchema.parse(await get(`/v1/sync/history/${id}`))

test('a run with a failure, retried from the history: the failure fixed, and the history telling both runs', async () => {
  const adminUser = await ctx.t.db.get<{ id: string }>("SELECT id FROM users WHERE tenant_id = 'history'")
  const { run } = await ctx.t.services.sync.bulk.start(tenant.tenant, 'invoices', adminUser!.id)
  await worker.whenIdle()

  const first = await list()
  expect(first.data).toHaveLength(1)
  const failed = first.data[0]!
  expect(failed).toMatchObject({
    id: run.id,
    recordKind: 'invoice',
    trigger: 'bulk',
    startedBy: adminUser!.id,
    bulkRunId: run.id,
    provider: 'xero',
    status: 'partial',
    total: 3,
    synced: 2,
    failed: 1,
  })
  expect(failed.organisation).toBeTruthy()
  const before = await detail(failed.id)
  expect(before.items).toEqual([
    expect.objectContaining({
      recordKind: 'invoice',
      recordId: travel.id,
      label: travel.number,
      code: 'mapping_missing',
      message: expect.stringContaining('Travel'),
      action: expect.stringContaining('account mappings'),
      now: 'error',
    }),
  ])

  // The bookkeeper maps the category, then retries the run's failures from the history.
  const labour = await ctx.t.db.get<{ provider_ref: string; label: string }>(
    "SELECT provider_ref, label FROM sync_mappings WHERE connection_id = ? AND kind = 'category_account'",
    [tenant.connectionId],
  )
  const put = await ctx.t.request('/v1/mappings', {
    method: 'PUT',
    token: tenant.admin,
    json: { mappings: [{ kind: 'category_account', key: 'Travel', ref: labour!.provider_ref }] },
  })
  expect(put.status, await put.clone().text()).toBe(200)
  ctx.t.advance(60_000)
  const retry = await ctx.t.request(`/v1/sync/history/${failed.id}/retry`, {
    method: 'POST',
    token: tenant.admin,
  })
  expect(retry.status, await retry.clone().text()).toBe(202)
  expect(RetryAnswerSchema.parse(await retry.json())).toMatchObject({ retried: 1 })
  await worker.whenIdle()

  const both = await list()
  expect(both.data.map((r) => r.trigger)).toEqual(['retry', 'bulk'])
  expect(both.data[0]).toMatchObject({
    retryOf: failed.id,
    recordKind: 'invoice',
    status: 'succeeded',
    total: 1,
    synced: 1,
    failed: 0,
  })
  // The first run still tells its failure, and that it is fixed now.
  const after = await detail(failed.id)
  expect(after).toMatchObject({ status: 'partial', failed: 1 })
  expect(after.items).toEqual([expect.objectContaining({ code: 'mapping_missing', now: 'synced' })])
  // Nothing left to retry: a second retry queues nothing.
  const again = await ctx.t.request(`/v1/sync/history/${failed.id}/retry`, {
    method: 'POST',
    token: tenant.admin,
  })
  expect(RetryAnswerSchema.parse(await again.json())).toEqual({ retried: 0, jobIds: [] })
})

test('filters by status, kind, day and text, and pages newest first', async () => {
  expect((await list('?status=partial')).data.map((r) => r.trigger)).toEqual(['bulk'])
  expect((await list('?status=succeeded')).data.map((r) => r.trigger)).toEqual(['retry'])
  expect((await list('?status=failed')).data).toEqual([])
  expect((await list('?kind=payment')).data).toEqual([])
  expect((await list('?kind=invoice')).data).toHaveLength(2)
  expect((await list('?q=his-travel')).data.map((r) => r.trigger)).toEqual(['bulk'])
  expect((await list('?q=no%20such%20thing')).data).toEqual([])
  const day = new Date(ctx.t.now()).toISOString().slice(0, 10)
  const dayBefore = new Date(ctx.t.now() - 86_400_000).toISOString().slice(0, 10)
  expect((await list(`?from=${day}&to=${day}`)).data).toHaveLength(2)
  expect((await list(`?to=${dayBefore}`)).data).toEqual([])
  const one = await list('?limit=1')
  expect(one.data).toHaveLength(1)
  expect(one.nextCursor).not.toBeNull()
  const two = await list(`?limit=1&cursor=${one.nextCursor}`)
  expect(two.data.map((r) => r.trigger)).toEqual(['bulk'])
  expect(two.nextCursor).toBeNull()
  const bad = await ctx.t.request('/v1/sync/history?status=lost', { token: tenant.admin })
  expect(bad.status).toBe(400)
  expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('validation_failed')
  const badCursor = await ctx.t.request('/v1/sync/history?cursor=nonsense', { token: tenant.admin })
  expect(badCursor.status).toBe(400)
})

test('another tenant sees none of it; an unknown run or record is 404', async () => {
  const other = await ctx.t.session({ tenant: 'history-other', role: 'admin', sub: 'other-admin' })
  expect(HistoryPageSchema.parse(await get('/v1/sync/history', other)).data).toEqual([])
  const id = (await list()).data[0]!.id
  expect((await ctx.t.request(`/v1/sync/history/${id}`, { token: other })).status).toBe(404)
  const missing = await ctx.t.request(`/v1/sync/history/${id}/items/invoice/inv_nosuchinvoice/retry`, {
    method: 'POST',
    token: tenant.admin,
  })
  expect(missing.status).toBe(404)
  expect((await ctx.t.request('/v1/sync/history')).status).toBe(401)
})

test('the history survives a switch of provider, and the tenant’s retention prunes it', async () => {
  const { status } = await connect(ctx.t, tenant.admin, 'quickbooks', {}, { confirmSwitch: true })
  expect(status.connection?.provider).toBe('quickbooks')
  const kept = await list()
  expect(kept.data.map((r) => r.provider)).toEqual(['xero', 'xero'])

  // A week's retention, and runs of ten days ago: gone at the next sweep; this week's stay.
  const patch = await ctx.t.request('/v1/settings', {
    method: 'PATCH',
    token: tenant.admin,
    json: { historyDays: 7 },
  })
  expect(patch.status, await patch.clone().text()).toBe(200)
  expect(((await patch.json()) as { historyDays: number }).historyDays).toBe(7)
  expect(await pruneHistory(ctx.t.db, ctx.t.now())).toBe(0)
  await ctx.t.db.run(
    'UPDATE sync_history SET finished_at = finished_at - ? WHERE tenant_id = ? AND trigger = ?',
    [10 * 86_400_000, tenant.tenant, 'bulk'],
  )
  expect(await pruneHistory(ctx.t.db, ctx.t.now())).toBe(1)
  expect((await list()).data.map((r) => r.trigger)).toEqual(['retry'])
  expect(await ctx.t.db.get('SELECT count(*) AS n FROM sync_history_items')).toEqual({ n: 0 })
  const tooLong = await ctx.t.request('/v1/settings', {
    method: 'PATCH',
    token: tenant.admin,
    json: { historyDays: 0 },
  })
  expect(tooLong.status).toBe(400)
})

test('one failed record retried from its run: a run of its own, started by that person, and the record synced', async () => {
  const own = await bulkTenant(ctx.t, 'xero', {
    tenant: 'history-one',
    prefix: 'HIO',
    customers: 1,
    invoices: 1,
  })
  const runs = async (query: string) =>
    HistoryPageSchema.parse(await get(`/v1/sync/history${query}`, own.admin)).data
  // No default account to fall back on: a category with no account of its own fails.
  await ctx.t.db.run("DELETE FROM sync_mappings WHERE connection_id = ? AND kind = 'default_account'", [
    own.connectionId,
  ])
  const customerId = (await ctx.t.db.get<{ customer_id: string }>(
    'SELECT customer_id FROM invoices WHERE id = ?',
    [own.invoiceIds[0]!],
  ))!.customer_id
  const created = await ctx.t.request(`/v1/tenants/${own.tenant}/invoices`, {
    method: 'POST',
    token: own.key,
    json: {
      number: 'HIS-BOATS',
      customerId,
      currency: 'GBP',
      issueDate: '2026-11-01',
      dueDate: '2026-11-30',
      status: 'sent',
      lines: [
        {
          description: 'Mooring',
          quantity: '1',
          unitPrice: '40.00',
          category: 'Boats',
          taxCode: 'VAT20',
          taxRate: '20',
        },
      ],
    },
  })
  const boats = ((await created.json()) as { id: string }).id
  ctx.t.advance(60_000)
  const pushed = await ctx.t.request(`/v1/sync/invoices/${boats}`, { method: 'POST', token: own.admin })
  expect(pushed.status).toBe(202)
  await worker.whenIdle()
  const [failedRun] = await runs('?status=failed')
  const adminUser = await ctx.t.db.get<{ id: string }>("SELECT id FROM users WHERE tenant_id = 'history-one'")
  expect(failedRun).toMatchObject({ trigger: 'user', startedBy: adminUser!.id, total: 1, failed: 1 })

  const labour = await ctx.t.db.get<{ provider_ref: string }>(
    "SELECT provider_ref FROM sync_mappings WHERE connection_id = ? AND kind = 'category_account' AND key = 'Labour'",
    [own.connectionId],
  )
  const put = await ctx.t.request('/v1/mappings', {
    method: 'PUT',
    token: own.admin,
    json: { mappings: [{ kind: 'category_account', key: 'Boats', ref: labour!.provider_ref }] },
  })
  expect(put.status, await put.clone().text()).toBe(200)
  ctx.t.advance(60_000)
  const retry = await ctx.t.request(`/v1/sync/history/${failedRun!.id}/items/invoice/${boats}/retry`, {
    method: 'POST',
    token: own.admin,
  })
  expect(retry.status, await retry.clone().text()).toBe(202)
  expect(RetryAnswerSchema.parse(await retry.json())).toMatchObject({ retried: 1 })
  await worker.whenIdle()
  expect((await runs('?limit=1'))[0]).toMatchObject({
    trigger: 'retry',
    retryOf: failedRun!.id,
    status: 'succeeded',
  })
  expect(
    HistoryRunDetailSchema.parse(await get(`/v1/sync/history/${failedRun!.id}`, own.admin)).items,
  ).toEqual([expect.objectContaining({ recordId: boats, now: 'synced' })])
})
