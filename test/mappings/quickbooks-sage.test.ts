import { beforeAll, expect, test } from 'vitest'
import { useEmulatedApp } from '../helpers/providers.ts'
import { entryOf, errorOf, lastFailure, mappingTenant } from './support.ts'

/**
 * The mapping routes on the QuickBooks and Sage emulators: each provider's own sales account and
 * bank proposed; QuickBooks categories also need an item, created only when the admin asks, linked
 * to the category's income account; an item made inactive, or a Sage account removed from the
 * chart, shows stale after a refresh.
 */
const ctx = useEmulatedApp(['quickbooks', 'sage'])
let qbo: Awaited<ReturnType<typeof mappingTenant>>
let sage: Awaited<ReturnType<typeof mappingTenant>>

beforeAll(async () => {
  qbo = await mappingTenant(ctx.t, 'quickbooks', 'mapping-qbo')
  sage = await mappingTenant(ctx.t, 'sage', 'mapping-sage')
  await qbo.invoice('MQ-1', [{ category: 'Design', taxCode: 'CA', taxRate: '8.75' }], 'USD')
  await sage.invoice('MS-1', [{ category: 'Callout', taxCode: 'S', taxRate: '20' }], 'GBP')
})

test('QuickBooks: its sales income account, a tax code of the same combined rate, a bank; items per category', async () => {
  const view = await qbo.view()
  expect(view.provider).toBe('quickbooks')
  expect(entryOf(view, 'default_account', '*').proposal).toMatchObject({
    ref: '79',
    label: 'Sales of Product Income',
  })
  expect(entryOf(view, 'category_account', 'Design').proposal).toMatchObject({ ref: '79' })
  // California's code combines 7.25% and 1.5%.
  expect(entryOf(view, 'tax_rate', 'CA').proposal).toMatchObject({ ref: '2', label: 'California' })
  expect(entryOf(view, 'payment_account', '*').proposal).toMatchObject({ ref: '35', label: 'Checking' })
  // An existing item named as the category is proposed; the others need one (created on request).
  expect(entryOf(view, 'category_item', 'Design')).toMatchObject({
    state: 'missing',
    blocksPush: true,
    proposal: { ref: '3', label: 'Design' },
  })
  expect(entryOf(view, 'category_item', 'Labour')).toMatchObject({ state: 'missing', proposal: null })
  const chart = await qbo.chart()
  expect(chart.items!.find((i) => i.name === 'Retired Service')).toMatchObject({ active: false })
  expect(chart.accounts.find((a) => a.name === 'Old Consulting Income')).toMatchObject({ active: false })
})

test('QuickBooks: an item is created for a category only on the admin’s request, posting to its income account', async () => {
  const realm = ctx.emu.handles.quickbooks!.control.company(qbo.organisationId)
  const itemsBefore = realm.list('Item').length

  const early = await qbo.call('POST', '/v1/mappings/items', qbo.admin, { category: 'Labour' })
  expect(early.status).toBe(400)
  expect((await errorOf(early)).details).toEqual([
    { path: 'category', message: 'Map the category to a revenue account first' },
  ])
  expect((await qbo.put([{ kind: 'category_account', key: 'Labour', ref: '1' }])).status).toBe(200)
  expect((await qbo.call('POST', '/v1/mappings/items', qbo.member, { category: 'Labour' })).status).toBe(403)
  expect(realm.list('Item')).toHaveLength(itemsBefore)

  const res = await qbo.call('POST', '/v1/mappings/items', qbo.admin, { category: 'Labour' })
  expect(res.status, await res.clone().text()).toBe(201)
  const created = (await res.json()) as { item: { id: string; name: string; incomeAccountId: string } }
  expect(created.item).toMatchObject({ name: 'Labour', incomeAccountId: '1' })
  const atQbo = realm.get('Item', created.item.id)!
  expect(atQbo).toMatchObject({ Name: 'Labour', Type: 'Service', IncomeAccountRef: { value: '1' } })
  expect(realm.list('Item')).toHaveLength(itemsBefore + 1)
  expect(entryOf(await qbo.view(), 'category_item', 'Labour')).toMatchObject({
    state: 'mapped',
    current: { ref: created.item.id, label: 'Labour' },
  })

  const again = await qbo.call('POST', '/v1/mappings/items', qbo.admin, { category: 'Labour' })
  expect(again.status).toBe(409)
  expect((await errorOf(again)).code).toBe('conflict')
  expect(realm.list('Item')).toHaveLength(itemsBefore + 1)

  // Made inactive in QuickBooks: stale once the chart is read again.
  ctx.emu.handles.quickbooks!.control.write(qbo.organisationId, 'item', {
    Id: atQbo.Id,
    SyncToken: atQbo.SyncToken,
    sparse: true,
    Active: false,
  })
  await qbo.chart({ refresh: true })
  expect(entryOf(await qbo.view(), 'category_item', 'Labour')).toMatchObject({
    state: 'stale',
    current: { problem: 'is inactive in your accounting software' },
  })
})

test('Sage: its sales ledger account, the standard VAT rate, a bank account; no items', async () => {
  const view = await sage.view()
  expect(view.provider).toBe('sage')
  const sales = entryOf(view, 'default_account', '*').proposal!
  expect(sales.label).toBe('Sales Type A (4000)')
  expect(entryOf(view, 'category_account', 'Callout').proposal).toMatchObject({ ref: sales.ref })
  expect(entryOf(view, 'tax_rate', 'S').proposal).toMatchObject({ ref: 'GB_STANDARD' })
  const chart = await sage.chart()
  const bank = chart.accounts.find((a) => a.id === entryOf(view, 'payment_account', '*').proposal!.ref)
  expect(bank).toMatchObject({ kind: 'bank', acceptsPayments: true, code: '1200' })
  expect(view.entries.some((e) => e.kind === 'category_item')).toBe(false)

  expect((await sage.put([{ kind: 'category_account', key: 'Callout', ref: sales.ref }])).status).toBe(200)
  ctx.emu.handles.sage!.control.setIncludedInChart(sage.organisationId, 4000, false)
  await sage.chart({ refresh: true })
  const after = await sage.view()
  expect(entryOf(after, 'category_account', 'Callout')).toMatchObject({
    state: 'stale',
    current: { problem: 'is archived in your accounting software' },
    // The next sales account by code takes over the proposal.
    proposal: { label: 'Sales Type B (4010)' },
  })

  ctx.emu.handles.sage!.control.addLedgerAccount(sage.organisationId, {
    nominalCode: 4050,
    name: 'Callout Sales',
    typeId: 'SALES',
    typeName: 'Sales',
    visibleInSales: true,
  })
  const refreshed = await sage.chart({ refresh: true })
  const added = refreshed.accounts.find((a) => a.code === '4050')
  expect(added).toMatchObject({ kind: 'revenue', active: true })
  expect((await sage.put([{ kind: 'category_account', key: 'Callout', ref: added!.id }])).status).toBe(200)
})

test('QuickBooks: a push whose category has no item fails with mapping_missing naming it; with one it lands', async () => {
  const { t, emu } = ctx
  expect((await qbo.put([{ kind: 'default_account', key: '*', ref: '79' }])).status).toBe(200)
  const worker = t.services.sync.worker({ owner: 'mapping-qbo-worker', pollMs: 3_600_000 })
  worker.start()
  try {
    const id = await qbo.invoice('MQ-2', [{ category: 'Materials', unitPrice: '40.00' }], 'USD', 'sent')
    await worker.whenIdle()
    expect(await lastFailure(t, id)).toMatchObject({
      code: 'mapping_missing',
      message: 'The category “Materials” has no product or service in your accounting software.',
    })
    const realm = emu.handles.quickbooks!.control.company(qbo.organisationId)
    expect(realm.list('Invoice').some((i) => i.DocNumber === 'MQ-2')).toBe(false)

    const created = await qbo.call('POST', '/v1/mappings/items', qbo.admin, { category: 'Materials' })
    expect(created.status).toBe(201)
    const item = ((await created.json()) as { item: { id: string } }).item
    expect((await t.request(`/v1/sync/invoices/${id}`, { method: 'POST', token: qbo.member })).status).toBe(
      202,
    )
    await worker.whenIdle()
    const posted = realm.list('Invoice').filter((i) => i.DocNumber === 'MQ-2')
    expect(posted).toHaveLength(1)
    expect(JSON.stringify(posted[0]!.Line)).toContain(`"ItemRef":{"value":"${item.id}"`)
  } finally {
    await worker.stop()
  }
})
