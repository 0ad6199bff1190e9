import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { SyncSettingsSchema } from '../../shared/settings.ts'
import type { Worker } from '../../server/sync/worker.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { mappingTenant } from '../mappings/support.ts'
import { bulkTenant } from './bulk-support.ts'

/**
 * The tenant's sync switches through the routes the connection panel calls: members read, admins
 * change; off queues nothing new, holds what was queued (kept, pending, no attempt spent) and
 * releases it the moment it is turned on again. On the Xero emulator, with a real worker.
 */
const ctx = useEmulatedApp(['xero'])
let worker: Worker
beforeAll(() => {
  worker = ctx.t.services.sync.worker({ owner: 'settings-worker', pollMs: 3_600_000 })
  worker.start()
})
afterAll(async () => {
  await worker.stop()
})

type Tenant = Awaited<ReturnType<typeof bulkTenant>>
const patch = (x: Tenant, body: unknown, token = x.admin) => x.call('PATCH', '/v1/settings', token, body)
async function changed(x: Tenant, body: Record<string, boolean>) {
  const res = await patch(x, body)
  expect(res.status, await res.clone().text()).toBe(200)
  return SyncSettingsSchema.parse(await res.json())
}
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error
const atXero = (x: Tenant, number: string) =>
  ctx.emu.handles.xero!.control.invoices(x.organisationId).filter((i) => i.InvoiceNumber === number)
const jobsOf = (tenant: string) =>
  ctx.t.services.db.all<{
    id: string
    kind: string
    state: string
    attempts: number
    last_error: string | null
  }>('SELECT id, kind, state, attempts, last_error FROM jobs WHERE tenant_id = ? ORDER BY created_at', [
    tenant,
  ])

describe('the routes', () => {
  test('every switch is on for a tenant that never changed one; members read them', async () => {
    const m = await mappingTenant(ctx.t, 'xero', 'settings-defaults')
    const res = await m.call('GET', '/v1/settings', m.member)
    expect(res.status).toBe(200)
    expect(SyncSettingsSchema.parse(await res.json())).toEqual({
      syncEnabled: true,
      invoices: true,
      creditNotes: true,
      payments: true,
      customers: true,
      autoSyncOnSend: true,
      historyDays: 90,
      updatedAt: null,
      updatedBy: null,
    })
    expect((await ctx.t.request('/v1/settings')).status).toBe(401)
  })

  test('only admins change them; a change names at least one switch, and nothing else', async () => {
    const x = await bulkTenant(ctx.t, 'xero', 'settings-routes')
    const byMember = await patch(x, { payments: false }, x.member)
    expect(byMember.status).toBe(403)
    expect((await errorOf(byMember)).code).toBe('forbidden')
    for (const bad of [{}, { payments: 'no' }, { everything: false }, []]) {
      const res = await patch(x, bad)
      expect(res.status, JSON.stringify(bad)).toBe(400)
      expect((await errorOf(res)).code).toBe('validation_failed')
    }
    const after = await changed(x, { payments: false })
    expect(after).toMatchObject({ payments: false, invoices: true, syncEnabled: true, autoSyncOnSend: false })
    expect(after.updatedBy).toMatch(/^usr_/) // the admin's user id
    expect(after.updatedAt).not.toBe(null)
    // Read back as changed, by a member too.
    const read = await x.call('GET', '/v1/settings', x.member)
    expect(SyncSettingsSchema.parse(await read.json())).toEqual(after)
  })
})

describe('what the switches do', () => {
  test('sync off: nothing new is queued, and Sync now and bulk runs say why', async () => {
    const x = await bulkTenant(ctx.t, 'xero', 'settings-off')
    const customer = await x.customer('Quiet Period Ltd')
    await x.mapProposals()
    await changed(x, { syncEnabled: false, autoSyncOnSend: true })
    const invoice = await x.invoice(customer, 'GBP') // sent: auto-sync is on, sync is not
    expect(await jobsOf('settings-off')).toEqual([])

    const now = await x.call('POST', `/v1/sync/invoices/${invoice.id}`, x.member)
    expect(now.status).toBe(409)
    expect(await errorOf(now)).toMatchObject({
      code: 'sync_disabled',
      message: 'Sync is turned off for this account.',
      action: expect.stringContaining('turn it on'),
      retryable: false,
    })
    const bulk = await x.call('POST', '/v1/sync/bulk', x.member, { kind: 'invoices' })
    expect(bulk.status).toBe(409)
    expect((await errorOf(bulk)).code).toBe('sync_disabled')
    expect(await jobsOf('settings-off')).toEqual([])

    // On again: the next sent invoice is queued and posted, as auto-sync says.
    await changed(x, { syncEnabled: true })
    const next = await x.invoice(customer, 'GBP')
    await worker.whenIdle()
    expect(atXero(x, next.number)).toHaveLength(1)
    expect(atXero(x, invoice.number)).toHaveLength(0) // sent while off: left for Sync now or a bulk run
  })

  test('queued work waits while sync is off, kept and pending with no attempt spent, and runs once when it is on', async () => {
    const x = await bulkTenant(ctx.t, 'xero', 'settings-held')
    const customer = await x.customer('Held Over Ltd')
    await x.mapProposals()
    await worker.stop()
    const invoice = await x.invoice(customer, 'GBP')
    const queued = await x.call('POST', `/v1/sync/invoices/${invoice.id}`, x.member)
    expect(queued.status).toBe(202)
    await changed(x, { syncEnabled: false })
    worker.start()
    await worker.whenIdle()
    const [held] = await jobsOf('settings-held')
    expect(held).toMatchObject({ kind: 'push_invoices', state: 'queued', attempts: 0 })
    expect(JSON.parse(held!.last_error!)).toMatchObject({ code: 'sync_disabled' })
    expect(atXero(x, invoice.number)).toHaveLength(0)
    const status = await x.call('POST', '/v1/sync/status', x.member, { invoiceIds: [invoice.id] })
    expect(
      ((await status.json()) as { states: Record<string, { state: string }> }).states[invoice.id]!.state,
    ).toBe('pending')

    // Turning it on lets the held push go at once, without waiting out its recheck.
    await changed(x, { syncEnabled: true })
    await worker.whenIdle()
    expect(await jobsOf('settings-held')).toMatchObject([{ id: held!.id, state: 'succeeded' }])
    expect(atXero(x, invoice.number)).toHaveLength(1)
  })

  test('customers off: a customers run is refused; an invoices run still brings the contacts it needs', async () => {
    const x = await bulkTenant(ctx.t, 'xero', 'settings-kinds')
    const customers = [await x.customer('Kinds One Ltd'), await x.customer('Kinds Two Ltd')]
    const invoices = [await x.invoice(customers[0]!, 'GBP'), await x.invoice(customers[1]!, 'GBP')]
    await x.mapProposals()
    await changed(x, { customers: false })
    const refused = await x.call('POST', '/v1/sync/bulk', x.member, { kind: 'customers' })
    expect(refused.status).toBe(409)
    expect(await errorOf(refused)).toMatchObject({
      code: 'sync_disabled',
      message: 'Customer sync is turned off for this account.',
    })

    const run = await x.start('invoices')
    await worker.whenIdle()
    expect((await x.run(run.id)).progress).toMatchObject({ total: 2, done: 2, failed: 0 })
    expect((await jobsOf('settings-kinds')).map((j) => j.kind)).toEqual(['push_invoices'])
    for (const inv of invoices) expect(atXero(x, inv.number)).toHaveLength(1)
    const links = await x.links('customer')
    expect(customers.every((c) => links.has(c))).toBe(true)

    // Invoices off: Sync now says so in the invoice's words.
    await changed(x, { invoices: false })
    const off = await x.call('POST', `/v1/sync/invoices/${invoices[0]!.id}`, x.member)
    expect(await errorOf(off)).toMatchObject({
      code: 'sync_disabled',
      message: 'Invoice sync is turned off for this account.',
    })
  })
})
