import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ProviderId } from '../../shared/providers.ts'
import type { Worker } from '../../server/sync/worker.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { bulkTenant } from './bulk-support.ts'

/**
 * The same bulk run on QuickBooks and Sage, smaller: every invoice once at the provider with its
 * customer's one new customer record, each linked; a second run queues nothing. QuickBooks finds
 * and creates customers through /batch; Sage has no batch and goes one by one.
 */
const ctx = useEmulatedApp(['quickbooks', 'sage'])
let worker: Worker
beforeAll(() => {
  worker = ctx.t.services.sync.worker({ owner: 'bulk-providers-worker', pollMs: 3_600_000 })
  worker.start()
})
afterAll(async () => {
  await worker.stop()
})

/** Invoice numbers and customer ids as the provider's emulator holds them. */
const atProvider: Record<'quickbooks' | 'sage', (org: string) => { numbers: string[]; customers: string[] }> =
  {
    quickbooks: (org) => {
      const company = ctx.emu.handles.quickbooks!.control.company(org)
      return {
        numbers: company.list('Invoice').map((i) => String(i.DocNumber)),
        customers: company.list('Customer').map((c) => String(c.Id)),
      }
    },
    sage: (org) => {
      const business = ctx.emu.handles.sage!.control.business(org)
      return {
        numbers: [...business.artefacts.values()]
          .filter((a) => a.kind === 'sales_invoice')
          .map((a) => a.number),
        customers: [...business.contacts.values()].map((c) => c.id),
      }
    },
  }

// Sage lines need a tax rate (its standard VAT, as proposed); the US QuickBooks company takes none.
describe.each([
  ['quickbooks', 'USD', null],
  ['sage', 'GBP', { code: 'S', rate: '20' }],
] as const)('%s', (provider: ProviderId & keyof typeof atProvider, currency, tax) => {
  test('a bulk run posts every invoice once with its new customers, and a second run queues nothing', async () => {
    const b = await bulkTenant(ctx.t, provider, `bulk-${provider}`)
    const customers = []
    for (let i = 0; i < 4; i++) customers.push(await b.customer(`${provider} Bulk Client ${i}`))
    const invoices = []
    for (let i = 0; i < 12; i++) invoices.push(await b.invoice(customers[i % 4]!, currency, tax))
    await b.mapProposals()
    const before = atProvider[provider](b.organisationId)
    expect(await b.preview('invoices')).toMatchObject({ invoices: 12, customers: 4 })

    const run = await b.start('invoices')
    await worker.whenIdle()
    expect((await b.run(run.id)).progress).toEqual({
      total: 12,
      done: 12,
      failed: 0,
      cancelled: 0,
      remaining: 0,
    })
    const after = atProvider[provider](b.organisationId)
    const posted = after.numbers.filter((n) => !before.numbers.includes(n))
    expect(posted.sort()).toEqual(invoices.map((i) => i.number).sort())
    const newCustomers = after.customers.filter((c) => !before.customers.includes(c))
    expect(newCustomers).toHaveLength(4)
    const links = await b.links('customer')
    expect(customers.map((c) => links.get(c)).sort()).toEqual(newCustomers.sort())
    const invoiceLinks = await b.links('invoice')
    expect(invoices.every((i) => invoiceLinks.has(i.id))).toBe(true)

    const again = await b.start('invoices')
    expect(again.progress.total).toBe(0)
    await worker.whenIdle()
    expect(atProvider[provider](b.organisationId).numbers).toHaveLength(after.numbers.length)
  })
})

test('QuickBooks: the limits count each batch item as a call and each batch as a batch, as Intuit meters them', async () => {
  const b = await bulkTenant(ctx.t, 'quickbooks', 'bulk-qbo-meter')
  const customers = []
  // With an email each is looked up twice (by email, then name): 24 query items in one batch.
  for (let i = 0; i < 12; i++)
    customers.push(await b.customer(`Metered Client ${i}`, `ap${i}@metered.example`))
  for (let i = 0; i < 40; i++) await b.invoice(customers[i % 12]!, 'USD')
  await b.mapProposals()
  const qbo = ctx.emu.handles.quickbooks!.control
  const count = async (bucket: string) =>
    (await ctx.t.services.db.get<{ n: number }>('SELECT count(*) AS n FROM rate_calls WHERE bucket = ?', [
      bucket,
    ]))!.n
  const key = `quickbooks:${b.organisationId}`
  const seen = qbo.requests(b.organisationId).length
  const [calls, batches] = [await count(key), await count(`${key}#batch`)]

  const run = await b.start('invoices')
  await worker.whenIdle()
  expect((await b.run(run.id)).progress).toMatchObject({ total: 40, done: 40, failed: 0 })
  const api = qbo
    .requests(b.organisationId)
    .slice(seen)
    .filter((r) => r.path.startsWith('/v3/company/'))
  const sent = api.filter((r) => r.path.endsWith('/batch'))
  const items = (r: { body: string }) =>
    (JSON.parse(r.body) as { BatchItemRequest: unknown[] }).BatchItemRequest.length
  expect(sent.some((r) => items(r) > 1)).toBe(true)
  const intuitCounts = api.length + sent.reduce((n, r) => n + items(r) - 1, 0)
  expect(await count(key)).toBe(calls + intuitCounts)
  expect(await count(`${key}#batch`)).toBe(batches + sent.length)
  expect(api.filter((r) => r.status === 429)).toEqual([])
})

test('Sage: a 429 pauses the business for its wait, gives the attempt back, and the run then lands', async () => {
  const b = await bulkTenant(ctx.t, 'sage', 'bulk-sage-429')
  const customer = await b.customer('Throttled Traders')
  const invoices = []
  for (let i = 0; i < 3; i++) invoices.push(await b.invoice(customer, 'GBP', { code: 'S', rate: '20' }))
  await b.mapProposals()
  // The customer first, so an invoice's own request meets the 429.
  await b.start('customers')
  await worker.whenIdle()
  const { db } = ctx.t.services
  ctx.emu.handles.sage!.control.forceThrottle(1, b.organisationId)
  const run = await b.start('invoices')
  await worker.whenIdle()
  const pause = await db.get<{ until: number }>('SELECT until FROM rate_pauses WHERE bucket = ?', [
    `sage:${b.organisationId}`,
  ])
  // Sage sends no Retry-After: a minute, in every process.
  expect(pause?.until).toBe(ctx.t.now() + 60_000)
  const jobs = await db.all<{ id: string; attempts: number; run_at: number; state: string }>(
    "SELECT id, attempts, run_at, state FROM jobs WHERE tenant_id = ? AND kind = 'push_invoices'",
    ['bulk-sage-429'],
  )
  // Sage takes one invoice a request: a job each, all waiting out the minute with no attempt spent.
  expect(jobs).toHaveLength(3)
  for (const job of jobs) {
    expect(job).toMatchObject({ state: 'queued', attempts: 0 })
    expect(job.run_at).toBeGreaterThanOrEqual(pause!.until - 1000)
  }

  // The minute over: the run lands every invoice once.
  ctx.t.advance(61_000)
  await worker.stop()
  worker.start()
  await worker.whenIdle()
  expect((await b.run(run.id)).progress).toMatchObject({ total: 3, done: 3, failed: 0 })
  const numbers = atProvider.sage(b.organisationId).numbers
  for (const inv of invoices) expect(numbers.filter((n) => n === inv.number)).toHaveLength(1)
})

test('QuickBooks: a customer whose name a vendor holds fails alone with the reason; the others land', async () => {
  const b = await bulkTenant(ctx.t, 'quickbooks', 'bulk-qbo-clash')
  const clash = await b.customer('Harbor Insurance Agency')
  const fine = await b.customer('Clash Free Florists')
  const invoices = [await b.invoice(clash, 'USD'), await b.invoice(fine, 'USD')]
  await b.mapProposals()
  const run = await b.start('invoices')
  await worker.whenIdle()
  expect((await b.run(run.id)).progress).toEqual({ total: 2, done: 1, failed: 1, cancelled: 0, remaining: 0 })
  const links = await b.links('invoice')
  expect(links.has(invoices[1]!.id)).toBe(true)
  expect(links.has(invoices[0]!.id)).toBe(false)
  const failure = await ctx.t.services.db.get<{ error: string }>(
    "SELECT error FROM sync_errors WHERE record_kind = 'invoice' AND record_id = ?",
    [invoices[0]!.id],
  )
  expect(JSON.parse(failure!.error)).toMatchObject({
    code: 'provider_refused',
    message: expect.stringContaining('already has a record named Harbor Insurance Agency'),
  })
  const company = ctx.emu.handles.quickbooks!.control.company(b.organisationId)
  expect(company.list('Customer').filter((c) => c.DisplayName === 'Harbor Insurance Agency')).toHaveLength(0)
})

/** The provider's record of a contact: its name and email as the emulator holds them. */
const contactAt: Record<
  'quickbooks' | 'sage',
  (org: string, id: string) => { name: string; email: string | null }
> = {
  quickbooks: (org, id) => {
    const c = ctx.emu.handles.quickbooks!.control.company(org).get('Customer', id)!
    const email = (c.PrimaryEmailAddr as { Address?: string } | undefined)?.Address
    return { name: String(c.DisplayName), email: email ?? null }
  },
  sage: (org, id) => {
    const c = ctx.emu.handles.sage!.control.business(org).contacts.get(id)!
    return { name: c.name, email: c.email }
  },
}

const qboPaths = (realm: string) =>
  ctx.emu.handles.quickbooks!.control.requests(realm).map((r) => r.path.split('/').at(-1))

describe.each(['quickbooks', 'sage'] as const)('%s', (provider) => {
  test('an edited customer updates its contact in place, at the version (SyncToken) of the last write', async () => {
    const b = await bulkTenant(ctx.t, provider, `bulk-edit-${provider}`)
    const id = await b.customer(`${provider} Edit Client`, 'old@edit.example')
    const runCustomers = async () => {
      const run = await b.start('customers')
      await worker.whenIdle()
      return (await b.run(run.id)).progress
    }
    await runCustomers()
    const contact = (await b.links('customer')).get(id)!
    const count = atProvider[provider](b.organisationId).customers.length
    for (const [n, name] of ['Edited Client', 'Edited Client Again'].entries()) {
      await b.customerAnswer(id, { name: `${provider} ${name}`, email: `ap${n}@edit.example` })
      expect(await b.preview('customers')).toMatchObject({ customers: 1 })
      const calls = qboPaths(b.organisationId).length
      expect(await runCustomers()).toEqual({ total: 1, done: 1, failed: 0, cancelled: 0, remaining: 0 })
      expect(contactAt[provider](b.organisationId, contact)).toEqual({
        name: `${provider} ${name}`,
        email: `ap${n}@edit.example`,
      })
      // The stored SyncToken is the current one: no stale answer, no re-read, one batch.
      if (provider === 'quickbooks') expect(qboPaths(b.organisationId).slice(calls)).toEqual(['batch'])
      expect((await b.customerAnswer(id)).sync).toMatchObject({ state: 'synced', providerId: contact })
    }
    expect(atProvider[provider](b.organisationId).customers).toHaveLength(count)
  })
})
