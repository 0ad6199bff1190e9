import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Worker } from '../../server/sync/worker.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { bulkTenant } from './bulk-support.ts'

/**
 * An edited customer updates its contact, end to end on the Xero emulator through the HTTP routes:
 * a customer becomes a contact in a bulk run, is edited (PATCH) and says `outdated`, and the next
 * "Sync customers" run updates that contact in place: the link moves to the new version, and Xero
 * holds one contact with the new name and email. An invoice push keeps the contact as it is.
 */
const ctx = useEmulatedApp(['xero'])
let x: Awaited<ReturnType<typeof bulkTenant>>
let worker: Worker

beforeAll(async () => {
  x = await bulkTenant(ctx.t, 'xero', 'contacts-xero')
  await x.mapProposals()
  worker = ctx.t.services.sync.worker({ owner: 'bulk-contacts-worker', pollMs: 3_600_000 })
  worker.start()
})
afterAll(async () => {
  await worker.stop()
})

const store = () => ctx.emu.handles.xero!.control.organisation(x.organisationId)
const contactsOf = (customerId: string) =>
  [...store().contacts.values()].filter((c) => c.ContactNumber === customerId)

async function runCustomers() {
  const run = await x.start('customers')
  await worker.whenIdle()
  return (await x.run(run.id)).progress
}

test('an edited customer says outdated, and the next customer run updates its one contact', async () => {
  const id = await x.customer('Tidewater Cafe', 'old@tidewater.example')
  // This one and the tenant's own customer.
  expect(await x.preview('customers')).toMatchObject({ customers: 2, summary: '2 customers' })
  expect(await runCustomers()).toMatchObject({ total: 2, done: 2, failed: 0 })
  const first = await x.customerAnswer(id)
  expect(first.sync).toMatchObject({ state: 'synced', provider: 'xero' })
  const [contact] = contactsOf(id)
  expect(contact).toMatchObject({ Name: 'Tidewater Cafe', EmailAddress: 'old@tidewater.example' })
  const contactsBefore = store().contacts.size

  const edited = await x.customerAnswer(id, { name: 'Tidewater Coffee House', email: 'ap@tidewater.example' })
  expect(edited.version).toBeGreaterThan(first.version)
  expect(edited.sync.state).toBe('outdated')
  expect(await x.preview('customers')).toEqual({
    kind: 'customers',
    invoices: 0,
    creditNotes: 0,
    payments: 0,
    customers: 1,
    summary: '1 customer (0 new, 1 updated)',
  })

  expect(await runCustomers()).toEqual({ total: 1, done: 1, failed: 0, cancelled: 0, remaining: 0 })
  const after = await x.customerAnswer(id)
  expect(after.sync).toMatchObject({ state: 'synced', providerId: contact!.ContactID })
  expect(store().contacts.size).toBe(contactsBefore)
  expect(contactsOf(id)).toHaveLength(1)
  expect(contactsOf(id)[0]).toMatchObject({
    ContactID: contact!.ContactID,
    Name: 'Tidewater Coffee House',
    EmailAddress: 'ap@tidewater.example',
  })
  // Synced at its version: nothing left to run.
  expect(await runCustomers()).toMatchObject({ total: 0 })
})

test('a new customer and an edited one in one run: one created, one updated, never a second contact', async () => {
  const known = await x.customer('Saltmarsh Ltd', 'hi@saltmarsh.example')
  await runCustomers()
  await x.customerAnswer(known, { name: 'Saltmarsh Holdings Ltd' })
  const fresh = await x.customer('Reedbed Studio')
  expect(await x.preview('customers')).toMatchObject({
    customers: 2,
    summary: '2 customers (1 new, 1 updated)',
  })
  const size = store().contacts.size
  expect(await runCustomers()).toMatchObject({ total: 2, done: 2, failed: 0 })
  expect(store().contacts.size).toBe(size + 1)
  expect(contactsOf(known).map((c) => c.Name)).toEqual(['Saltmarsh Holdings Ltd'])
  expect(contactsOf(fresh).map((c) => c.Name)).toEqual(['Reedbed Studio'])
  for (const id of [known, fresh]) expect((await x.customerAnswer(id)).sync.state).toBe('synced')
})

test('edited customers are updated in one POST of the batch, with no lookup', async () => {
  const ids = []
  for (const name of ['Mudflat Hire', 'Shingle Print', 'Dune Joinery']) ids.push(await x.customer(name))
  await runCustomers()
  for (const id of ids) await x.customerAnswer(id, { phone: '+44 1632 960000' })
  const xero = ctx.emu.handles.xero!.control
  const api = () => xero.requests().filter((r) => r.path.startsWith('/api.xro/2.0'))
  const before = api().length
  expect(await runCustomers()).toMatchObject({ total: 3, done: 3, failed: 0 })
  expect(
    api()
      .slice(before)
      .map((r) => `${r.method} ${r.path.split('/').at(-1)}`),
  ).toEqual(['POST Contacts'])
  for (const id of ids)
    expect(contactsOf(id)[0]?.Phones).toContainEqual(
      expect.objectContaining({ PhoneNumber: '+44 1632 960000' }),
    )
})

test('an edit to a name another Xero contact holds fails for that customer, with the reason', async () => {
  const id = await x.customer('Brackish Books')
  await runCustomers()
  await x.customerAnswer(id, { name: 'Tidewater Coffee House' })
  expect(await runCustomers()).toMatchObject({ total: 1, done: 0, failed: 1 })
  const answer = await x.customerAnswer(id)
  expect(answer.sync.state).toBe('error')
  expect(answer.sync.error?.providerMessage).toMatch(/already assigned to another contact/)
  expect(contactsOf(id).map((c) => c.Name)).toEqual(['Brackish Books'])
})

test('an invoice push uses the linked contact as it is and leaves the customer outdated', async () => {
  const id = await x.customer('Estuary Goods')
  await runCustomers()
  await x.customerAnswer(id, { name: 'Estuary Goods Co' })
  const invoice = await x.invoice(id, 'GBP')
  const run = await x.start('invoices')
  await worker.whenIdle()
  expect((await x.run(run.id)).progress).toMatchObject({ total: 1, done: 1 })
  const [contact] = contactsOf(id)
  const posted = ctx.emu.handles
    .xero!.control.invoices(x.organisationId)
    .find((i) => i.InvoiceNumber === invoice.number)
  expect(posted?.ContactID).toBe(contact!.ContactID)
  expect(contact!.Name).toBe('Estuary Goods')
  expect((await x.customerAnswer(id)).sync.state).toBe('outdated')
})

test('with auto-sync on, an edit of a customer with a contact updates that contact by itself; one without waits for its invoice', async () => {
  const id = await x.customer('Estuary Kayaks', 'hello@estuary.example')
  await runCustomers()
  const [contact] = contactsOf(id)
  await ctx.t.db.run('UPDATE tenant_settings SET auto_sync_on_send = 1 WHERE tenant_id = ?', [
    'contacts-xero',
  ])
  try {
    const edited = await x.customerAnswer(id, { name: 'Estuary Kayak Hire' })
    expect(edited.sync.state).toBe('pending')
    await worker.whenIdle()
    expect(contactsOf(id)).toEqual([
      expect.objectContaining({ ContactID: contact!.ContactID, Name: 'Estuary Kayak Hire' }),
    ])
    expect((await x.customerAnswer(id)).sync.state).toBe('synced')
    const runs = await ctx.t.services.sync.history.list('contacts-xero', { limit: 20, kind: 'customer' })
    expect(runs.data.filter((r) => r.trigger === 'event')).toEqual([
      expect.objectContaining({ event: 'customer_changed', status: 'succeeded', total: 1, synced: 1 }),
    ])

    // No contact yet: an edit queues nothing (its first invoice, or a run, creates the contact).
    const fresh = await x.customer('Mudbank Marine')
    const size = store().contacts.size
    expect((await x.customerAnswer(fresh, { phone: '+44 1632 960001' })).sync.state).toBe('not_synced')
    await worker.whenIdle()
    expect(store().contacts.size).toBe(size)
  } finally {
    await ctx.t.db.run('UPDATE tenant_settings SET auto_sync_on_send = 0 WHERE tenant_id = ?', [
      'contacts-xero',
    ])
  }
})
