import { afterAll, beforeAll, expect, test } from 'vitest'
import { emitEvent } from '../../server/events/log.ts'
import type { Worker } from '../../server/sync/worker.ts'
import { bulkTenant, type BulkTenant } from '../fixtures/bulk-tenant.ts'
import { useEmulatedApp } from '../helpers/providers.ts'

/**
 * The event log the host's webhooks and the widget's stream read: each change tells its event in
 * the transaction that made it (an invoice synced, a final failure, a payment recorded either way
 * or removed, a connection's status, a bulk run's end), in order, and a change that rolls back
 * tells nothing.
 */
const ctx = useEmulatedApp(['xero'])
let worker: Worker
let tenant: BulkTenant
beforeAll(async () => {
  worker = ctx.t.services.sync.worker({ owner: 'events-worker', pollMs: 3_600_000 })
  worker.start()
  tenant = await bulkTenant(ctx.t, 'xero', { tenant: 'events', prefix: 'EV', customers: 1, invoices: 3 })
})
afterAll(() => worker.stop())

const events = async (after = 0) =>
  (await ctx.t.services.events.after(tenant.tenant, after)).map((e) => ({
    type: e.type,
    subject: e.subject,
    data: e.data,
  }))
const latest = async () => (await ctx.t.services.events.after(tenant.tenant, 0)).at(-1)?.seq ?? 0

test('connecting told the connection active; syncing an invoice tells invoice.synced with its provider id', async () => {
  expect((await events()).filter((e) => e.type === 'connection.status_changed')).toEqual([
    {
      type: 'connection.status_changed',
      subject: { kind: 'connection', id: tenant.connectionId },
      data: expect.objectContaining({ provider: 'xero', status: 'active', previous: null }) as unknown,
    },
  ])
  const from = await latest()
  const id = tenant.invoiceIds[0]!
  const res = await ctx.t.request(`/v1/sync/invoices/${id}`, { method: 'POST', token: tenant.admin })
  expect(res.status).toBe(202)
  await worker.whenIdle()
  const providerId = (await ctx.t.db.get<{ provider_id: string }>(
    "SELECT provider_id FROM sync_links WHERE record_kind = 'invoice' AND record_id = ?",
    [id],
  ))!.provider_id
  expect((await events(from)).filter((e) => e.type.startsWith('invoice.'))).toEqual([
    {
      type: 'invoice.synced',
      subject: { kind: 'invoice', id },
      data: expect.objectContaining({ invoiceId: id, providerId, provider: 'xero' }) as unknown,
    },
  ])
})

test('a payment the host records tells payment.recorded to the provider; one entered there, from it', async () => {
  const id = tenant.invoiceIds[0]!
  const from = await latest()
  const paid = await ctx.t.request(`/v1/tenants/${tenant.tenant}/payments`, {
    method: 'POST',
    token: tenant.key,
    json: { invoiceId: id, amount: '5.00', date: '2026-11-20' },
  })
  expect(paid.status).toBe(201)
  await ctx.t.services.sync.pushNow(tenant.tenant, 'payment', [((await paid.json()) as { id: string }).id])
  await worker.whenIdle()
  const at = (await ctx.t.db.get<{ provider_id: string }>(
    "SELECT provider_id FROM sync_links WHERE record_kind = 'invoice' AND record_id = ?",
    [id],
  ))!.provider_id
  ctx.emu.handles.xero!.control.payInvoice(tenant.organisationId, at, { Amount: 2 })
  await ctx.t.services.providerEvents.receive('xero', { contentType: 'application/json', body: '{}' }, [
    {
      eventId: 'evt-log-1',
      organisationId: tenant.organisationId,
      entity: 'invoice',
      resourceId: at,
      operation: 'UPDATE',
      occurredAt: null,
    },
  ])
  await worker.whenIdle()
  const told = (await events(from)).filter((e) => e.type.startsWith('payment.'))
  expect(told.map((e) => [e.type, e.data.direction, e.data.amount, e.data.invoiceId])).toEqual([
    ['payment.recorded', 'to_provider', '5.00', id],
    ['payment.recorded', 'from_provider', '2.00', id],
  ])
})

test('a failure the engine will not retry tells invoice.sync_failed with the bookkeeper’s words', async () => {
  const id = tenant.invoiceIds[1]!
  const from = await latest()
  // The mapping is gone: a permanent failure, named.
  await ctx.t.db.run('DELETE FROM sync_mappings WHERE connection_id = ?', [tenant.connectionId])
  const res = await ctx.t.request(`/v1/sync/invoices/${id}`, { method: 'POST', token: tenant.admin })
  expect(res.status).toBe(202)
  await worker.whenIdle()
  const [failed, ...more] = (await events(from)).filter((e) => e.type.startsWith('invoice.'))
  expect(more).toEqual([])
  expect(failed).toMatchObject({ type: 'invoice.sync_failed', subject: { kind: 'invoice', id } })
  expect(failed!.data.error).toMatchObject({ code: 'mapping_missing', final: true })
})

test('an event written in a transaction that rolls back is not told', async () => {
  const from = await latest()
  await expect(
    ctx.t.db.transaction(async (tx) => {
      await emitEvent(tx, { tenantId: tenant.tenant }, 'invoice.synced', null, {}, ctx.t.now())
      throw new Error('the change failed')
    }),
  ).rejects.toThrow('the change failed')
  expect(await events(from)).toEqual([])
})

test('disconnecting tells connection.status_changed: disconnected', async () => {
  const from = await latest()
  const res = await ctx.t.request('/v1/connection', { method: 'DELETE', token: tenant.admin })
  expect(res.status).toBeLessThan(300)
  expect((await events(from)).map((e) => [e.type, e.data.status, e.data.previous])).toEqual([
    ['connection.status_changed', 'disconnected', 'active'],
  ])
})
