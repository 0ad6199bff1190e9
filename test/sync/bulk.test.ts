import { afterAll, beforeAll, expect, test } from 'vitest'
import { BulkRunSchema } from '../../shared/bulk.ts'
import type { Worker } from '../../server/sync/worker.ts'
import { listen, secondInstance } from '../connections/support.ts'
import { seedContact } from '../emulators/xero/sync-testing.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { bulkTenant, readEvents } from './bulk-support.ts'

/**
 * Bulk sync end to end on the Xero emulator, through the HTTP routes: 120 sent invoices of 30 new
 * customers reach Xero once each, at a cost counted at the emulator of at most 0.1 calls an
 * invoice, contacts included; a second run queues nothing; the preview counts what a run would
 * send; a cancel stops queued batches; the progress stream is read over loopback as a client does.
 */
const ctx = useEmulatedApp(['xero'])
let x: Awaited<ReturnType<typeof bulkTenant>>
let worker: Worker
const customers: string[] = []
const invoices: { id: string; number: string }[] = []

const xero = () => ctx.emu.handles.xero!.control
const apiCalls = () =>
  xero()
    .requests()
    .filter((r) => r.path.startsWith('/api.xro/2.0')).length
const atXero = (prefix: string) =>
  xero()
    .invoices(x.organisationId)
    .filter((i) => i.InvoiceNumber.startsWith(prefix))

beforeAll(async () => {
  const { t } = ctx
  x = await bulkTenant(t, 'xero', 'bulk-xero')
  for (let i = 0; i < 30; i++) customers.push(await x.customer(`Bulk Customer ${i}`, `ap${i}@bulk.example`))
  // Customers take turns, so every batch of 50 carries new and known customers.
  for (let i = 0; i < 120; i++) invoices.push(await x.invoice(customers[i % 30]!, 'GBP'))
  await x.mapProposals()
  worker = t.services.sync.worker({ owner: 'bulk-worker', pollMs: 3_600_000 })
})
afterAll(async () => {
  await worker.stop()
})

test('the preview counts the invoices and the customers they need; a bad kind is refused', async () => {
  expect(await x.preview('invoices')).toEqual({
    kind: 'invoices',
    invoices: 120,
    creditNotes: 0,
    payments: 0,
    customers: 30,
    summary: '120 invoices and the 30 customers they need',
  })
  // The 30, and the tenant's own customer with no invoice yet.
  expect(await x.preview('customers')).toMatchObject({ invoices: 0, customers: 31, summary: '31 customers' })
  const bad = await x.call('GET', '/v1/sync/bulk/preview?kind=refunds', x.member)
  expect(bad.status).toBe(400)
  expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('validation_failed')
  const badStart = await x.call('POST', '/v1/sync/bulk', x.member, { kind: 'everything' })
  expect(badStart.status).toBe(400)
  expect((await ctx.t.request('/v1/sync/bulk/preview?kind=invoices')).status).toBe(401)
})

test('a bulk run posts every invoice once, with its customers, at ≤ 0.1 calls an invoice; the stream follows it', async () => {
  const { t } = ctx
  const server = await listen((req) => t.app.fetch(req))
  try {
    const metered = async () =>
      (await t.services.db.get<{ n: number }>('SELECT count(*) AS n FROM rate_calls'))!.n
    const [before, meteredBefore] = [apiCalls(), await metered()]
    const run = await x.start('invoices')
    expect(run).toMatchObject({
      kind: 'invoices',
      finishedAt: null,
      progress: { total: 120, remaining: 120 },
    })
    const stream = await fetch(`${server.url}/v1/sync/bulk/${run.id}/events`, {
      headers: { authorization: `Bearer ${x.member}`, accept: 'text/event-stream' },
    })
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const reading = readEvents(stream)
    worker.start()
    const events = await reading

    const progress = events
      .filter((e) => e.event === 'progress')
      .map((e) => BulkRunSchema.parse(JSON.parse(e.data)))
    expect(progress.length).toBeGreaterThanOrEqual(2)
    const remaining = progress.map((p) => p.progress.remaining)
    expect([...remaining].sort((a, b) => b - a)).toEqual(remaining)
    expect(events.at(-1)!.event).toBe('end')
    const last = BulkRunSchema.parse(JSON.parse(events.at(-1)!.data))
    expect(last.progress).toEqual({ total: 120, done: 120, failed: 0, cancelled: 0, remaining: 0 })
    expect(last.finishedAt).not.toBe(null)

    const numbers = atXero('BULK-XERO-').map((i) => i.InvoiceNumber)
    expect(numbers.sort()).toEqual(invoices.map((i) => i.number).sort())
    const links = await x.links('invoice')
    for (const inv of invoices) expect(links.get(inv.id)).toBe(atXero(inv.number)[0]!.InvoiceID)
    // One contact per customer, carrying our id, each linked.
    const contacts = [...xero().organisation(x.organisationId).contacts.values()].filter((c) =>
      customers.includes(c.ContactNumber ?? ''),
    )
    expect(contacts).toHaveLength(30)
    const customerLinks = await x.links('customer')
    for (const c of contacts) expect(customerLinks.get(c.ContactNumber!)).toBe(c.ContactID)

    const perInvoice = (apiCalls() - before) / 120
    expect(perInvoice).toBeLessThanOrEqual(0.1)
    // Each call the engine made was one request as Xero counts them: the limits saw every one.
    expect((await metered()) - meteredBefore).toBe(apiCalls() - before)
    expect(await x.run(run.id)).toMatchObject({ progress: last.progress, finishedAt: last.finishedAt })
  } finally {
    await server.close()
  }
})

test('a second run queues nothing and ends at once', async () => {
  const before = apiCalls()
  expect(await x.preview('invoices')).toMatchObject({ invoices: 0, customers: 0, summary: '0 invoices' })
  const again = await x.start('invoices')
  expect(again.progress).toEqual({ total: 0, done: 0, failed: 0, cancelled: 0, remaining: 0 })
  expect(again.finishedAt).not.toBe(null)
  await worker.whenIdle()
  expect(apiCalls()).toBe(before)
})

test('cancel: queued batches are cancelled and nothing of them is sent; they can be run again', async () => {
  await worker.stop()
  const later: string[] = []
  for (let i = 0; i < 60; i++) later.push((await x.invoice(customers[i % 30]!, 'GBP')).number)
  const run = await x.start('invoices')
  expect(run.progress).toMatchObject({ total: 60, remaining: 60 })
  const cancel = await x.call('POST', `/v1/sync/bulk/${run.id}/cancel`, x.member)
  expect(cancel.status).toBe(200)
  const cancelled = BulkRunSchema.parse(await cancel.json())
  expect(cancelled.progress).toEqual({ total: 60, done: 0, failed: 0, cancelled: 60, remaining: 0 })
  expect(cancelled.cancelledAt).not.toBe(null)
  expect(cancelled.finishedAt).not.toBe(null)

  // The stream of a finished run sends its last state and ends.
  const events = await readEvents(await ctx.t.request(`/v1/sync/bulk/${run.id}/events`, { token: x.member }))
  expect(events.map((e) => e.event)).toEqual(['progress', 'end'])

  worker = ctx.t.services.sync.worker({ owner: 'bulk-worker-2', pollMs: 3_600_000 })
  worker.start()
  await worker.whenIdle()
  expect(atXero('BULK-XERO-').filter((i) => later.includes(i.InvoiceNumber))).toHaveLength(0)
  expect(await x.preview('invoices')).toMatchObject({ invoices: 60, customers: 0 })
  const rerun = await x.start('invoices')
  await worker.whenIdle()
  expect((await x.run(rerun.id)).progress).toMatchObject({ done: 60, remaining: 0 })
  // A run that has ended is not cancelled after the fact.
  const late = await x.call('POST', `/v1/sync/bulk/${rerun.id}/cancel`, x.member)
  expect(BulkRunSchema.parse(await late.json())).toMatchObject({ cancelledAt: null, progress: { done: 60 } })
  expect(atXero('BULK-XERO-').filter((i) => later.includes(i.InvoiceNumber))).toHaveLength(60)
})

test('cancel while a batch runs: that batch finishes and lands, the queued one is cancelled', async () => {
  await worker.stop()
  const { queue } = ctx.t.services.sync
  const numbers: string[] = []
  for (let i = 0; i < 60; i++) numbers.push((await x.invoice(customers[i % 30]!, 'GBP')).number)
  const run = await x.start('invoices')
  // A worker elsewhere has the first batch in hand.
  const [held] = await queue.claim('elsewhere', { limit: 1, kinds: ['push_invoices'] })
  expect(held!.runId).toBe(run.id)
  const cancel = await x.call('POST', `/v1/sync/bulk/${run.id}/cancel`, x.member)
  expect(BulkRunSchema.parse(await cancel.json())).toMatchObject({
    finishedAt: null,
    progress: { total: 60, cancelled: 10, remaining: 50 },
  })
  expect((await queue.get(held!.id))!).toMatchObject({ state: 'running', cancelRequested: false })
  // Its worker goes away before finishing: the batch returns to the queue and is run to the end.
  await queue.retry(held!, ctx.t.now(), null, { spendAttempt: false })
  worker = ctx.t.services.sync.worker({ owner: 'bulk-worker-3', pollMs: 3_600_000 })
  worker.start()
  await worker.whenIdle()
  const after = await x.run(run.id)
  expect(after.progress).toEqual({ total: 60, done: 50, failed: 0, cancelled: 10, remaining: 0 })
  expect(after.finishedAt).not.toBe(null)
  expect(atXero('BULK-XERO-').filter((i) => numbers.includes(i.InvoiceNumber))).toHaveLength(50)
})

test('bulk customers: new ones become contacts, one already in Xero is linked, not created again', async () => {
  const store = xero().organisation(x.organisationId)
  seedContact(store, '7d1c0b1e-0000-4000-8000-000000000001', 'Harbour Supplies Ltd')
  const known = await x.customer('harbour   SUPPLIES ltd')
  const fresh = [
    await x.customer('Quayside Bakery'),
    await x.customer('Lantern Studio', 'hi@lantern.example'),
  ]
  const contactsBefore = store.contacts.size
  // These three, and the tenant's own customer.
  expect(await x.preview('customers')).toMatchObject({ customers: 4, summary: '4 customers' })
  const run = await x.start('customers')
  await worker.whenIdle()
  expect((await x.run(run.id)).progress).toEqual({ total: 4, done: 4, failed: 0, cancelled: 0, remaining: 0 })
  expect(store.contacts.size).toBe(contactsBefore + 3)
  expect((await x.start('customers')).progress.total).toBe(0)
  const links = await x.links('customer')
  expect(links.get(known)).toBe('7d1c0b1e-0000-4000-8000-000000000001')
  for (const id of fresh)
    expect([...store.contacts.values()].find((c) => c.ContactNumber === id)?.ContactID).toBe(links.get(id))
})

test('another tenant’s run answers 404; a malformed run id 400', async () => {
  const run = (await ctx.t.services.db.get<{ id: string }>('SELECT id FROM sync_runs LIMIT 1'))!
  const other = await ctx.t.session({ tenant: 'bulk-other', role: 'member', sub: 'other-member' })
  for (const path of [`/v1/sync/bulk/${run.id}`, `/v1/sync/bulk/${run.id}/events`])
    expect((await ctx.t.request(path, { token: other })).status).toBe(404)
  expect(
    (await ctx.t.request(`/v1/sync/bulk/${run.id}/cancel`, { method: 'POST', token: other })).status,
  ).toBe(404)
  expect((await ctx.t.request('/v1/sync/bulk/job_123', { token: x.member })).status).toBe(400)
  // No connection: the preview says so.
  const res = await ctx.t.request('/v1/sync/bulk/preview?kind=invoices', { token: other })
  expect(res.status).toBe(409)
})

test('the stream follows work another process does, by polling the database', async () => {
  // This process runs no worker: only the second instance's settles happen, unseen by our queue.
  await worker.stop()
  const other = secondInstance(ctx.t, ctx.emu.registry)
  const otherWorker = other.services.sync.worker({ owner: 'other-process', pollMs: 3_600_000 })
  try {
    const customer = await x.customer('Far Away Traders', 'ap@faraway.example')
    for (let i = 0; i < 3; i++) await x.invoice(customer, 'GBP')
    const run = await x.start('invoices')
    const reading = readEvents(await ctx.t.request(`/v1/sync/bulk/${run.id}/events`, { token: x.member }))
    otherWorker.start()
    const events = await reading
    expect(events.at(-1)!.event).toBe('end')
    // These 3, and the 10 the cancel above left unsent.
    expect(BulkRunSchema.parse(JSON.parse(events.at(-1)!.data)).progress).toMatchObject({
      total: 13,
      done: 13,
      remaining: 0,
    })
  } finally {
    await otherWorker.stop()
    other.close()
  }
})

test('every bulk route is in the OpenAPI description', async () => {
  const doc = (await (await ctx.t.request('/openapi.json')).json()) as { paths: Record<string, object> }
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining([
      '/v1/sync/bulk',
      '/v1/sync/bulk/preview',
      '/v1/sync/bulk/{runId}',
      '/v1/sync/bulk/{runId}/events',
      '/v1/sync/bulk/{runId}/cancel',
    ]),
  )
  expect(doc.paths['/v1/sync/bulk/{runId}/events']).toMatchObject({
    get: { responses: { 200: { content: { 'text/event-stream': {} } } } },
  })
})
