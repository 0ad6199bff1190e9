import { afterAll, beforeAll, expect, test } from 'vitest'
import { InvoiceSchema } from '../../shared/api/invoices.ts'
import { StatusAnswerSchema } from '../../shared/sync-state.ts'
import { syncRepo } from '../../server/sync/sync-repo.ts'
import type { Worker } from '../../server/sync/worker.ts'
import { connected } from '../connections/support.ts'
import { useEmulatedApp } from '../helpers/providers.ts'

/**
 * The engine end to end on the Xero emulator: an invoice the host marks sent reaches Xero through
 * the outbox and the worker, once, with its link recorded; an edit updates the same Xero invoice.
 */
const ctx = useEmulatedApp(['xero'])
let worker: Worker
let key: string
let tenantId: string
let connectionId: string
let customerId: string
let session: string

async function states(ids: string[]) {
  const res = await ctx.t.request('/v1/sync/status', {
    method: 'POST',
    token: session,
    json: { invoiceIds: ids },
  })
  expect(res.status).toBe(200)
  return StatusAnswerSchema.parse(await res.json()).states
}

beforeAll(async () => {
  const { t } = ctx
  key = await t.apiKey()
  session = await t.session({ tenant: 'acme-sync', role: 'admin' })
  tenantId = 'acme-sync'
  const connection = await connected(t, session, 'xero')
  connectionId = connection.id
  for (const [kind, k, ref, label] of [
    ['default_account', '*', '200', 'Sales'],
    ['tax_rate', 'VAT20', 'OUTPUT2', '20% (VAT on Income)'],
  ] as const)
    await syncRepo.setMapping(
      t.services.db,
      { connectionId, kind, key: k, providerRef: ref, label, by: 'test' },
      Date.now(),
    )
  const customer = await t.request(`/v1/tenants/${tenantId}/customers`, {
    method: 'POST',
    token: key,
    json: { name: 'Harbour Lights Café', email: 'accounts@harbour.example' },
  })
  customerId = ((await customer.json()) as { id: string }).id
  worker = t.services.sync.worker({ owner: 'test-worker', pollMs: 3_600_000 })
  worker.start()
})
afterAll(async () => {
  await worker.stop()
})

const invoiceBody = (number: string) => ({
  number,
  customerId,
  currency: 'GBP',
  issueDate: '2026-11-01',
  dueDate: '2026-11-30',
  lines: [
    {
      description: 'Boiler service',
      quantity: '1',
      unitPrice: '85.00',
      taxCode: 'VAT20',
      taxRate: '20',
      category: 'Labour',
    },
    {
      description: 'Valve',
      quantity: '2.5',
      unitPrice: '3.333',
      taxCode: 'VAT20',
      taxRate: '20',
      category: 'Materials',
    },
  ],
})

test('marking an invoice sent pushes it to Xero once, and an edit updates the same invoice', async () => {
  const { t, emu } = ctx
  const created = await t.request(`/v1/tenants/${tenantId}/invoices`, {
    method: 'POST',
    token: key,
    json: invoiceBody('INV-2001'),
  })
  const invoice = InvoiceSchema.parse(await created.json())
  expect((await states([invoice.id]))[invoice.id]).toMatchObject({
    state: 'not_synced',
    provider: 'xero',
    providerId: null,
  })
  const sent = await t.request(`/v1/tenants/${tenantId}/invoices/${invoice.id}/send`, {
    method: 'POST',
    token: key,
  })
  expect(sent.status).toBe(200)
  await worker.whenIdle()

  const link = (await syncRepo.links(t.services.db, connectionId, 'invoice', [invoice.id])).get(invoice.id)
  expect(link).toMatchObject({ synced_version: 2 })
  const xero = emu.handles.xero!
  const org = (await t.services.db.get<{ organisation_id: string }>(
    'SELECT organisation_id FROM connections WHERE id = ?',
    [connectionId],
  ))!
  const atXero = xero.control.invoices(org.organisation_id).filter((i) => i.InvoiceNumber === 'INV-2001')
  expect(atXero).toHaveLength(1)
  expect(atXero[0]!.InvoiceID).toBe(link!.provider_id)
  expect((await states([invoice.id]))[invoice.id]).toMatchObject({
    state: 'synced',
    providerId: link!.provider_id,
    error: null,
  })

  // Edited while no worker runs: outdated, then pending once queued, then synced again.
  await worker.stop()
  await t.services.db.run(
    'UPDATE invoices SET version = version + 1, push_version = version + 1 WHERE id = ?',
    [invoice.id],
  )
  expect((await states([invoice.id]))[invoice.id]!.state).toBe('outdated')
  const push = await t.request(`/v1/sync/invoices/${invoice.id}`, { method: 'POST', token: session })
  expect(push.status).toBe(202)
  expect((await states([invoice.id]))[invoice.id]!.state).toBe('pending')
  worker = t.services.sync.worker({ owner: 'test-worker-2', pollMs: 3_600_000 })
  worker.start()
  await worker.whenIdle()
  expect((await states([invoice.id]))[invoice.id]!.state).toBe('synced')

  // An edit of the sent invoice updates the invoice in Xero, keeping its lines.
  const edited = await t.request(`/v1/tenants/${tenantId}/invoices/${invoice.id}`, {
    method: 'PATCH',
    token: key,
    json: { reference: 'PO-9' },
  })
  expect(edited.status).toBe(200)
  await worker.whenIdle()
  const after = xero.control.invoices(org.organisation_id).filter((i) => i.InvoiceNumber === 'INV-2001')
  expect(after).toHaveLength(1)
  expect(after[0]!.Reference).toBe('PO-9')
  const relinked = (await syncRepo.links(t.services.db, connectionId, 'invoice', [invoice.id])).get(
    invoice.id,
  )
  expect(relinked!.synced_version).toBe(4)
  expect(JSON.parse(relinked!.line_ids!)).toEqual(JSON.parse(link!.line_ids!))
})

test('a category with no account fails the push with mapping_missing, and nothing reaches Xero', async () => {
  const { t, emu } = ctx
  await t.services.db.run("DELETE FROM sync_mappings WHERE kind = 'default_account'")
  await t.services.db.run('DELETE FROM sync_chart_cache')
  const created = await t.request(`/v1/tenants/${tenantId}/invoices`, {
    method: 'POST',
    token: key,
    json: { ...invoiceBody('INV-2002'), status: 'sent' },
  })
  const invoice = InvoiceSchema.parse(await created.json())
  await worker.whenIdle()
  const failure = await t.services.db.get<{ error: string }>(
    'SELECT error FROM sync_errors WHERE record_id = ?',
    [invoice.id],
  )
  expect(JSON.parse(failure!.error)).toMatchObject({ code: 'mapping_missing', final: true })
  expect(JSON.parse(failure!.error).message).toContain('Labour')
  expect((await states([invoice.id]))[invoice.id]).toMatchObject({
    state: 'error',
    error: { code: 'mapping_missing', action: expect.stringContaining('account mappings') },
  })
  const org = (await t.services.db.get<{ organisation_id: string }>(
    'SELECT organisation_id FROM connections WHERE id = ?',
    [connectionId],
  ))!
  expect(
    emu.handles.xero!.control.invoices(org.organisation_id).some((i) => i.InvoiceNumber === 'INV-2002'),
  ).toBe(false)
})

test('the status route answers a page of 500 invoices in one request, leaving out other tenants’ ids', async () => {
  const { t } = ctx
  const mine = await t.services.db.all<{ id: string }>('SELECT id FROM invoices WHERE tenant_id = ?', [
    tenantId,
  ])
  const fake = Array.from({ length: 500 - mine.length }, (_, i) => `inv_${String(i).padStart(26, '0')}`)
  const answer = await states([...mine.map((r) => r.id), ...fake])
  expect(Object.keys(answer).sort()).toEqual(mine.map((r) => r.id).sort())
  // With the connection the badges name ("Post to Xero") and whether it can take a push now.
  const res = await t.request('/v1/sync/status', {
    method: 'POST',
    token: session,
    json: { invoiceIds: fake },
  })
  expect(StatusAnswerSchema.parse(await res.json())).toEqual({
    connection: { provider: 'xero', status: 'active' },
    states: {},
  })
  const other = await t.session({ tenant: 'acme-sync-none', role: 'member' })
  const none = await t.request('/v1/sync/status', {
    method: 'POST',
    token: other,
    json: { invoiceIds: fake },
  })
  expect(StatusAnswerSchema.parse(await none.json())).toEqual({ connection: null, states: {} })
  const tooMany = await t.request('/v1/sync/status', {
    method: 'POST',
    token: session,
    json: { invoiceIds: [...fake, ...fake] },
  })
  expect(tooMany.status).toBe(400)
})

test('a bulk push sends batches of 50 and meters each batch as the one request Xero counts', async () => {
  const { t, emu } = ctx
  await t.services.db.run(
    'INSERT INTO tenant_settings (tenant_id, auto_sync_on_send, updated_at) VALUES (?, 0, ?) ON CONFLICT (tenant_id) DO UPDATE SET auto_sync_on_send = 0',
    [tenantId, Date.now()],
  )
  await syncRepo.setMapping(
    t.services.db,
    { connectionId, kind: 'default_account', key: '*', providerRef: '200', label: 'Sales', by: 'test' },
    Date.now(),
  )
  await t.services.db.run('DELETE FROM sync_errors')
  const numbers = Array.from({ length: 55 }, (_, i) => `BULK-${String(i).padStart(3, '0')}`)
  for (const number of numbers) {
    const res = await t.request(`/v1/tenants/${tenantId}/invoices`, {
      method: 'POST',
      token: key,
      json: { ...invoiceBody(number), status: 'sent' },
    })
    expect(res.status).toBe(201)
  }
  const xero = emu.handles.xero!
  const apiCalls = () => xero.control.requests().filter((r) => r.path.startsWith('/api.xro/2.0')).length
  const metered = async () =>
    (await t.services.db.get<{ n: number }>('SELECT count(*) AS n FROM rate_calls'))!.n
  const [callsBefore, meteredBefore] = [apiCalls(), await metered()]

  const planned = await t.services.sync.bulkPush(tenantId)
  expect(planned.jobs).toHaveLength(2)
  await worker.whenIdle()

  const org = (await t.services.db.get<{ organisation_id: string }>(
    'SELECT organisation_id FROM connections WHERE id = ?',
    [connectionId],
  ))!
  const atXero = xero.control.invoices(org.organisation_id).filter((i) => i.InvoiceNumber.startsWith('BULK-'))
  expect(atXero.map((i) => i.InvoiceNumber).sort()).toEqual(numbers)
  const puts = xero.control
    .requests()
    .filter((r) => r.method === 'PUT' && r.path.endsWith('/Invoices') && r.body.includes('BULK-'))
  // 56: the 55, and INV-2002 of the test before, whose mapping now exists.
  expect(puts.map((r) => (JSON.parse(r.body) as { Invoices: unknown[] }).Invoices.length)).toEqual([50, 6])
  expect((await metered()) - meteredBefore).toBe(apiCalls() - callsBefore)
  // Run again: everything is synced at its version, nothing is queued or sent.
  expect((await t.services.sync.bulkPush(tenantId)).jobs).toEqual([])
})
