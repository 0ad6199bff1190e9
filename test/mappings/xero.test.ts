import { beforeAll, expect, test } from 'vitest'
import { ChartSchema } from '../../shared/mappings.ts'
import { CHART_TTL_MS } from '../../server/sync/chart.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { entryOf, errorOf, lastFailure, mappingTenant } from './support.ts'

/**
 * The mapping routes on the Xero emulator: proposals from the organisation's own chart, never
 * saved by themselves; admins write, members read; every choice checked against the chart; an
 * account archived in Xero shows stale and stops the push with mapping_missing naming the category.
 */
const ctx = useEmulatedApp(['xero'])
let m: Awaited<ReturnType<typeof mappingTenant>>

beforeAll(async () => {
  m = await mappingTenant(ctx.t, 'xero', 'mapping-xero')
  // The vendor's own category and a tax code, as its invoices carry them.
  await m.invoice(
    'MX-1',
    [{ category: 'Callout', taxCode: 'VAT20', taxRate: '20' }, { category: 'Labour' }],
    'GBP',
  )
})

const accountId = (code: string) =>
  ctx.emu.handles.xero!.control.organisation(m.organisationId).accounts.find((a) => a.Code === code)!
    .AccountID

test('a member reads every mapping as missing, with proposals from the chart that are not saved', async () => {
  const view = await m.view()
  expect(view).toMatchObject({ provider: 'xero', complete: false })
  for (const category of ['Labour', 'Materials', 'Equipment', 'Other', 'Callout'])
    expect(entryOf(view, 'category_account', category)).toMatchObject({
      state: 'missing',
      current: null,
      blocksPush: true,
      proposal: { ref: accountId('200'), label: 'Sales (200)' },
    })
  expect(entryOf(view, 'default_account', '*').proposal).toMatchObject({ label: 'Sales (200)' })
  // Matched by percentage among the rates that apply to revenue: not "20% (VAT on Expenses)".
  expect(entryOf(view, 'tax_rate', 'VAT20')).toMatchObject({
    state: 'missing',
    localRate: '20',
    proposal: { ref: 'OUTPUT2', label: '20% (VAT on Income)' },
  })
  expect(entryOf(view, 'payment_account', '*').proposal).toMatchObject({ ref: accountId('090') })
  expect(view.entries.some((e) => e.kind === 'category_item')).toBe(false)
  const saved = await ctx.t.services.db.get<{ n: number }>(
    'SELECT count(*) AS n FROM sync_mappings WHERE connection_id = ?',
    [m.connectionId],
  )
  expect(saved!.n).toBe(0)

  const chart = await m.chart()
  expect(chart.items).toBeNull()
  expect(chart.currencies).toContain('GBP')
  expect(chart.accounts.find((a) => a.code === '429')).toMatchObject({ active: false })
})

test('only an admin saves mappings; the answer is the new view', async () => {
  const proposed = await m.view()
  const accept = proposed.entries
    .filter((e) => e.proposal && e.kind !== 'category_account')
    .map((e) => ({ kind: e.kind, key: e.key, ref: e.proposal!.ref }))

  const refused = await m.put(accept, m.member)
  expect(refused.status).toBe(403)
  expect((await errorOf(refused)).code).toBe('forbidden')
  expect(entryOf(await m.view(), 'default_account', '*').state).toBe('missing')

  const saved = await m.put(accept)
  expect(saved.status).toBe(200)
  const view = (await saved.json()) as Awaited<ReturnType<typeof m.view>>
  expect(entryOf(view, 'default_account', '*')).toMatchObject({
    state: 'mapped',
    current: { ref: accountId('200'), label: 'Sales (200)', problem: null },
    proposal: null,
  })
  // Categories without their own account fall back to the default: nothing blocks a push now.
  expect(entryOf(view, 'category_account', 'Labour')).toMatchObject({ state: 'missing', blocksPush: false })
  expect(view.complete).toBe(true)
  expect(entryOf(await m.view(), 'tax_rate', 'VAT20').state).toBe('mapped')

  const cleared = await m.put([{ kind: 'payment_account', key: '*', ref: null }])
  expect(entryOf((await cleared.json()) as typeof view, 'payment_account', '*').state).toBe('missing')
})

test('a choice the chart does not allow is refused with a field error naming it, and nothing is saved', async () => {
  const before = await ctx.t.services.db.all('SELECT * FROM sync_mappings ORDER BY kind, key')
  const res = await m.put([
    { kind: 'category_account', key: 'Materials', ref: accountId('260') }, // fine on its own
    { kind: 'category_account', key: 'Labour', ref: accountId('400') }, // an expense account
    { kind: 'category_account', key: 'Equipment', ref: accountId('429') }, // archived
    { kind: 'category_account', key: 'Other', ref: 'no-such-account' },
    { kind: 'default_account', key: 'Labour', ref: accountId('200') },
    { kind: 'category_item', key: 'Labour', ref: 'item-1' },
    { kind: 'payment_account', key: '*', ref: accountId('200') }, // a sales account takes no payments
    { kind: 'tax_rate', key: 'VAT20', ref: 'INPUT2' }, // an expenses rate: not in the revenue chart
    { kind: 'category_account', key: 'Materials', ref: accountId('200') },
  ])
  expect(res.status).toBe(400)
  const error = await errorOf(res)
  expect(error.code).toBe('validation_failed')
  const byPath = Object.fromEntries(error.details.map((d) => [d.path, d.message]))
  expect(byPath['mappings.0.ref']).toBeUndefined()
  expect(byPath['mappings.1.ref']).toBe('“Advertising & Marketing (400)” is not a revenue account')
  expect(byPath['mappings.2.ref']).toContain('“General Expenses (429)” is archived')
  expect(byPath['mappings.3.ref']).toContain('refresh it and choose again')
  expect(byPath['mappings.4.key']).toContain('"*"')
  expect(byPath['mappings.5.kind']).toContain('Xero needs no product or service')
  expect(byPath['mappings.6.ref']).toContain('does not accept payments')
  expect(byPath['mappings.7.ref']).toBeDefined()
  expect(byPath['mappings.8']).toContain('set twice')
  expect(await ctx.t.services.db.all('SELECT * FROM sync_mappings ORDER BY kind, key')).toEqual(before)

  for (const body of [{}, { mappings: [] }, { mappings: [{ kind: 'nope', key: 'x', ref: 'y' }] }]) {
    const bad = await m.call('PUT', '/v1/mappings', m.admin, body)
    expect(bad.status).toBe(400)
    expect((await errorOf(bad)).code).toBe('validation_failed')
  }
  const items = await m.call('POST', '/v1/mappings/items', m.admin, { category: 'Labour' })
  expect(items.status).toBe(422)
  expect(await errorOf(items)).toMatchObject({
    code: 'not_supported',
    message: expect.stringContaining('Xero'),
  })
})

test('refresh reads the chart again now: a new account can then be chosen', async () => {
  const xero = ctx.emu.handles.xero!.control
  const before = await m.chart()
  xero.addAccount(m.organisationId, { Code: '215', Name: 'Callout Fees', Type: 'SALES', TaxType: 'OUTPUT2' })
  expect((await m.chart()).accounts.some((a) => a.code === '215')).toBe(false) // still the cached one

  const refusedRefresh = await m.call('POST', '/v1/mappings/chart/refresh', m.member)
  expect(refusedRefresh.status).toBe(403)
  ctx.t.advance(1000)
  const refreshed = await m.chart({ refresh: true })
  expect(refreshed.accounts.find((a) => a.code === '215')).toMatchObject({ kind: 'revenue', active: true })
  expect(Date.parse(refreshed.fetchedAt)).toBeGreaterThan(Date.parse(before.fetchedAt))
  const saved = await m.put([{ kind: 'category_account', key: 'Callout', ref: accountId('215') }])
  expect(saved.status).toBe(200)
})

test('the host backend reads the same chart by API key, cached with its age, and refreshes it', async () => {
  const xero = ctx.emu.handles.xero!.control
  const path = `/v1/tenants/mapping-xero/accounting/chart`
  const read = async () => {
    const res = await m.call('GET', path, m.key)
    expect(res.status, await res.clone().text()).toBe(200)
    return ChartSchema.parse(await res.json())
  }
  const first = await read()
  expect(first).toEqual(await m.chart()) // the very chart the mapping menus show
  xero.addAccount(m.organisationId, {
    Code: '216',
    Name: 'Host Read Fees',
    Type: 'SALES',
    TaxType: 'OUTPUT2',
  })
  expect((await read()).accounts.some((a) => a.code === '216')).toBe(false)
  ctx.t.advance(1000)
  const refreshed = await m.call('POST', `${path}/refresh`, m.key)
  expect(refreshed.status).toBe(200)
  const chart = ChartSchema.parse(await refreshed.json())
  expect(chart.accounts.find((a) => a.code === '216')).toMatchObject({ kind: 'revenue', active: true })
  expect(Date.parse(chart.fetchedAt)).toBeGreaterThan(Date.parse(first.fetchedAt))

  // A session is not an API key; an unknown tenant is named as such.
  expect((await m.call('GET', path, m.member)).status).toBe(401)
  const unknown = await m.call('GET', '/v1/tenants/no-such-tenant/accounting/chart', m.key)
  expect(unknown.status).toBe(404)
  expect((await errorOf(unknown)).code).toBe('not_found')
})

test('an account archived in Xero shows stale, and the push then fails with mapping_missing naming the category', async () => {
  const { t, emu } = ctx
  expect((await m.put([{ kind: 'category_account', key: 'Labour', ref: accountId('260') }])).status).toBe(200)
  emu.handles.xero!.control.archiveAccount(m.organisationId, '260')
  // The cached chart still says active; once it is older than its time to live, it is read again.
  expect(entryOf(await m.view(), 'category_account', 'Labour').state).toBe('mapped')
  t.advance(CHART_TTL_MS)
  const view = await m.view()
  expect(entryOf(view, 'category_account', 'Labour')).toMatchObject({
    state: 'stale',
    blocksPush: true,
    current: { label: 'Other Revenue (260)', problem: 'is archived in your accounting software' },
    proposal: { label: 'Sales (200)' },
  })
  expect(view.complete).toBe(false)

  const worker = t.services.sync.worker({ owner: 'mapping-worker', pollMs: 3_600_000 })
  worker.start()
  try {
    const id = await m.invoice(
      'MX-2',
      [{ category: 'Labour', taxCode: 'VAT20', taxRate: '20' }],
      'GBP',
      'sent',
    )
    await worker.whenIdle()
    expect(await lastFailure(t, id)).toMatchObject({
      code: 'mapping_missing',
      message:
        'The account “Other Revenue (260)” chosen for “Labour” is archived in your accounting software.',
    })
    const atXero = emu.handles.xero!.control.invoices(m.organisationId)
    expect(atXero.some((i) => i.InvoiceNumber === 'MX-2')).toBe(false)

    // Deleted outright: the same, in other words.
    emu.handles.xero!.control.deleteAccount(m.organisationId, '215')
    await m.chart({ refresh: true })
    expect(entryOf(await m.view(), 'category_account', 'Callout')).toMatchObject({
      state: 'stale',
      current: { label: 'Callout Fees (215)', problem: 'no longer exists in your accounting software' },
    })
  } finally {
    await worker.stop()
  }
})

test('without a session, or without a connection, the routes answer in the error model', async () => {
  const { t } = ctx
  expect((await t.request('/v1/mappings')).status).toBe(401)
  const lonely = await t.session({ tenant: 'mapping-nobody', role: 'admin' })
  for (const [method, path] of [
    ['GET', '/v1/mappings'],
    ['GET', '/v1/mappings/chart'],
    ['POST', '/v1/mappings/chart/refresh'],
  ] as const) {
    const res = await t.request(path, { method, token: lonely })
    expect(res.status).toBe(409)
    expect((await errorOf(res)).code).toBe('no_connection')
  }
})
