import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { pageOf } from '../../shared/api/common.ts'
import { CustomerSchema } from '../../shared/api/customers.ts'
import { InvoiceSchema } from '../../shared/api/invoices.ts'
import { SYNC_STATES, SyncStateSchema } from '../../shared/sync-state.ts'
import { syncRepo, type RecordKind } from '../../server/sync/sync-repo.ts'
import { connected } from '../connections/support.ts'
import { createTestApp, statementCounter, type TestApp } from '../helpers/app.ts'
import { startEmulatedProviders } from '../helpers/providers.ts'
import { customerBody, invoiceBody } from './support.ts'

/**
 * The host data API's invoice and customer answers carry the record's sync state, each of the
 * five states through HTTP, and a page costs the same number of statements whatever its size.
 */
let emu: Awaited<ReturnType<typeof startEmulatedProviders>>
let t: TestApp
const statements = statementCounter()
let key: string
let connectionId: string
let customerId: string
const tenantId = 'acme-badges'

beforeAll(async () => {
  emu = await startEmulatedProviders(undefined, ['xero'])
  t = await createTestApp({}, { providers: emu.registry, wrapDb: statements.wrap })
  key = await t.apiKey()
  const session = await t.session({ tenant: tenantId, role: 'admin' })
  connectionId = (await connected(t, session, 'xero')).id
  customerId = (await call('POST', `/v1/tenants/${tenantId}/customers`, customerBody())).id
})
afterAll(async () => {
  t.close()
  await emu.close()
})

async function call(method: string, path: string, json?: unknown) {
  const res = await t.request(path, { method, token: key, ...(json === undefined ? {} : { json }) })
  const body = (await res.json()) as Record<string, unknown> & { id: string }
  expect(res.status, JSON.stringify(body)).toBeLessThan(300)
  return body
}

const newInvoice = async () =>
  InvoiceSchema.parse(await call('POST', `/v1/tenants/${tenantId}/invoices`, invoiceBody(customerId)))
const newCustomer = async () =>
  CustomerSchema.parse(await call('POST', `/v1/tenants/${tenantId}/customers`, customerBody()))

const link = (kind: RecordKind, id: string, version: number, providerId: string) =>
  syncRepo.link(
    t.db,
    {
      connection_id: connectionId,
      record_kind: kind,
      record_id: id,
      provider_id: providerId,
      provider_version: null,
      provider_url: `https://go.xero.example/${providerId}`,
      line_ids: null,
      synced_version: version,
    },
    Date.parse('2026-11-20T09:00:00.000Z'),
  )
const fail = (kind: RecordKind, id: string, version: number) =>
  syncRepo.fail(
    t.db,
    connectionId,
    kind,
    id,
    version,
    {
      code: 'mapping_missing',
      message: 'No account is mapped for Labour.',
      providerMessage: 'Account code 999 is not valid',
      correlationId: 'corr-42',
      final: true,
    },
    Date.parse('2026-11-21T10:00:00.000Z'),
  )

const PLURAL = { invoice: 'invoices', customer: 'customers' } as const
const providerIdOf = (id: string) => `xero-${id}`

/** Four records of a kind: left not synced, synced, edited since their link, and failed. */
async function fourStates<T extends { id: string; version: number }>(
  kind: keyof typeof PLURAL,
  create: () => Promise<T>,
  edit: object,
) {
  const [fresh, synced, outdated, failed] = [await create(), await create(), await create(), await create()]
  await link(kind, synced.id, synced.version, providerIdOf(synced.id))
  await link(kind, outdated.id, outdated.version, providerIdOf(outdated.id))
  const edited = await call('PATCH', `/v1/tenants/${tenantId}/${PLURAL[kind]}/${outdated.id}`, edit)
  expect(edited.sync).toMatchObject({ state: 'outdated', providerId: providerIdOf(outdated.id) })
  await fail(kind, failed.id, failed.version)
  return { fresh, synced, outdated, failed }
}

/** The states of these records on the first list page (of 200). */
async function statesOnPage(kind: keyof typeof PLURAL, records: { id: string }[]) {
  const page = pageOf(z.object({ id: z.string(), sync: SyncStateSchema })).parse(
    await call('GET', `/v1/tenants/${tenantId}/${PLURAL[kind]}?limit=200`),
  )
  const byId = new Map(page.data.map((r) => [r.id, r.sync.state]))
  return records.map((r) => byId.get(r.id))
}

describe('invoice answers', () => {
  test('carry each sync state, on get one, on a list page and on the events', async () => {
    const { fresh, synced, outdated, failed } = await fourStates('invoice', newInvoice, {
      notes: 'Gate code 1234',
    })
    // Sending queues its push in the same transaction (no worker runs here): the answer says pending.
    const pending = await newInvoice()
    const sent = InvoiceSchema.parse(
      await call('POST', `/v1/tenants/${tenantId}/invoices/${pending.id}/send`),
    )
    expect(sent.sync).toMatchObject({ state: 'pending', provider: 'xero' })

    const one = async (id: string) =>
      InvoiceSchema.parse(await call('GET', `/v1/tenants/${tenantId}/invoices/${id}`)).sync
    expect(await one(fresh.id)).toEqual({
      state: 'not_synced',
      provider: 'xero',
      providerId: null,
      url: null,
      syncedAt: null,
      error: null,
    })
    expect(await one(synced.id)).toEqual({
      state: 'synced',
      provider: 'xero',
      providerId: providerIdOf(synced.id),
      url: `https://go.xero.example/${providerIdOf(synced.id)}`,
      syncedAt: '2026-11-20T09:00:00.000Z',
      error: null,
    })
    expect(await one(outdated.id)).toMatchObject({ state: 'outdated' })
    expect(await one(failed.id)).toEqual({
      state: 'error',
      provider: 'xero',
      providerId: null,
      url: null,
      syncedAt: null,
      error: {
        code: 'mapping_missing',
        message: 'No account is mapped for Labour.',
        action: expect.any(String) as string,
        providerMessage: 'Account code 999 is not valid',
        correlationId: 'corr-42',
        at: '2026-11-21T10:00:00.000Z',
      },
    })
    expect(await one(pending.id)).toMatchObject({ state: 'pending' })
    expect(await statesOnPage('invoice', [fresh, pending, synced, outdated, failed])).toEqual(SYNC_STATES)
  })

  test('a page of 100 takes as many statements as a page of 1', async () => {
    const ids: string[] = []
    for (let i = 0; i < 100; i++) {
      const invoice = await newInvoice()
      ids.push(invoice.id)
      if (i % 3 === 0) await link('invoice', invoice.id, invoice.version, `xero-bulk-${i}`)
      if (i % 3 === 1) await fail('invoice', invoice.id, invoice.version)
    }
    const measure = async (limit: number) => {
      const before = statements.count
      const page = pageOf(InvoiceSchema).parse(
        await call('GET', `/v1/tenants/${tenantId}/invoices?limit=${limit}`),
      )
      expect(page.data).toHaveLength(limit)
      return { statements: statements.count - before, states: new Set(page.data.map((i) => i.sync.state)) }
    }
    await measure(1) // warm: the API key's first use writes its last-used time
    const small = await measure(1)
    const large = await measure(100)
    expect(large.states).toEqual(new Set(['not_synced', 'synced', 'outdated', 'error', 'pending']))
    expect(small.statements).toBeGreaterThan(0)
    expect(large.statements).toBe(small.statements)
  })
})

describe('customer answers', () => {
  test('carry the state of the customer’s contact', async () => {
    // With auto-sync on, an edit of a customer with a contact queues its update (pending): off, the
    // edit shows as outdated until a run.
    const autoSync = (on: 0 | 1) =>
      t.db.run(
        `INSERT INTO tenant_settings (tenant_id, auto_sync_on_send, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (tenant_id) DO UPDATE SET auto_sync_on_send = excluded.auto_sync_on_send`,
        [tenantId, on, t.now()],
      )
    await autoSync(0)
    const { fresh, synced, failed, outdated } = await fourStates('customer', newCustomer, {
      phone: '01632 960000',
    })
    await autoSync(1)
    const queued = await newCustomer()
    await link('customer', queued.id, queued.version, providerIdOf(queued.id))
    const edited = await call('PATCH', `/v1/tenants/${tenantId}/customers/${queued.id}`, {
      phone: '01632 960001',
    })
    expect(edited.sync).toMatchObject({ state: 'pending', providerId: providerIdOf(queued.id) })
    expect(fresh.sync).toMatchObject({ state: 'not_synced', provider: 'xero' })
    // Work queued for the customer (a bulk push of contacts) makes it pending.
    const pending = await newCustomer()
    await t.db.transaction(async (tx) => {
      const job = await t.services.sync.queue.enqueue(tx, {
        kind: 'push_customers',
        tenantId,
        connectionId,
        payload: { connectionId, customerIds: [pending.id] },
      })
      await tx.run('INSERT INTO job_records (job_id, record_kind, record_id) VALUES (?, ?, ?)', [
        job.id,
        'customer',
        pending.id,
      ])
    })

    const one = async (id: string) =>
      CustomerSchema.parse(await call('GET', `/v1/tenants/${tenantId}/customers/${id}`)).sync
    expect(await one(synced.id)).toMatchObject({
      state: 'synced',
      providerId: providerIdOf(synced.id),
      url: `https://go.xero.example/${providerIdOf(synced.id)}`,
    })
    expect(await one(failed.id)).toMatchObject({ state: 'error', error: { code: 'mapping_missing' } })
    expect(await statesOnPage('customer', [fresh, pending, synced, outdated, failed])).toEqual(SYNC_STATES)
  })
})

test('the OpenAPI description says invoices and customers carry a sync state', async () => {
  const res = await t.request('/openapi.json')
  const doc = (await res.json()) as {
    components: { schemas: Record<string, { required?: string[]; properties?: object }> }
  }
  for (const name of ['Invoice', 'Customer']) {
    const schema = doc.components.schemas[name]!
    expect(schema.required).toContain('sync')
    expect(JSON.stringify(schema.properties)).toMatch(/not_synced.*pending.*synced.*outdated.*error/)
  }
})
