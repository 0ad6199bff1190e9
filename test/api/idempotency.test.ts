import { describe, expect, test } from 'vitest'
import { CustomerSchema } from '../../shared/api/customers.ts'
import { InvoiceSchema } from '../../shared/api/invoices.ts'
import {
  type Answer,
  creditNoteBody,
  customerBody,
  expectError,
  expectInvalid,
  expectOk,
  expectPage,
  invoiceBody,
  paths,
  paymentBody,
  seedTenant,
  useApi,
} from './support.ts'

const api = useApi()

const DAY = 24 * 3600_000
let keys = 0
const newKey = () => `idem-${++keys}-${'k'.repeat(8)}`
const withKey = (key: string, json: unknown, token?: string) => ({
  json,
  headers: { 'Idempotency-Key': key },
  ...(token ? { token } : {}),
})

function expectReplayOf(replay: Answer, first: Answer) {
  expect(replay.headers.get('idempotent-replayed')).toBe('true')
  expect(replay.status).toBe(first.status)
  expect(replay.text).toBe(first.text)
}

async function countOf(path: string) {
  const page = expectOk(await api.call('GET', `${path}?limit=200`), 200) as { data: unknown[] }
  return page.data.length
}

/**
 * Each POST route: a body to send, the list that must grow by exactly one on the first call, and
 * what must be true of the world after it (once, not twice).
 */
const routes = [
  {
    name: 'POST customers',
    setup: async () => {
      const { tenantId } = await seedTenant(api)
      return { path: paths.customers(tenantId), body: customerBody(), list: paths.customers(tenantId) }
    },
  },
  {
    name: 'POST invoices',
    setup: async () => {
      const { tenantId, customerId } = await seedTenant(api)
      return { path: paths.invoices(tenantId), body: invoiceBody(customerId), list: paths.invoices(tenantId) }
    },
  },
  {
    name: 'POST credit-notes',
    setup: async () => {
      const { tenantId, customerId } = await seedTenant(api)
      return {
        path: paths.creditNotes(tenantId),
        body: creditNoteBody(customerId),
        list: paths.creditNotes(tenantId),
      }
    },
  },
  {
    name: 'POST payments',
    setup: async () => {
      const { tenantId, invoiceId } = await seedTenant(api, { invoice: 'sent' })
      return { path: paths.payments(tenantId), body: paymentBody(invoiceId), list: paths.payments(tenantId) }
    },
  },
  {
    name: 'POST invoices/{id}/mark-paid',
    setup: async () => {
      const { tenantId, invoiceId } = await seedTenant(api, { invoice: 'sent' })
      return {
        path: `${paths.invoices(tenantId)}/${invoiceId}/mark-paid`,
        body: {},
        list: paths.payments(tenantId),
      }
    },
  },
]

describe.each(routes)('$name', ({ setup }) => {
  test('the same key and body answer the first response again, and act once', async () => {
    const { path, body, list } = await setup()
    const before = await countOf(list)
    const key = newKey()
    const first = await api.call('POST', path, withKey(key, body))
    expect(first.status).toBeLessThan(300)
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    api.t.advance(60_000)
    const replay = await api.call('POST', path, withKey(key, body))
    expectReplayOf(replay, first)
    expect(await countOf(list)).toBe(before + 1)
  })

  test('the same key with another body answers idempotency_key_reused and acts not', async () => {
    const { path, body, list } = await setup()
    const before = await countOf(list)
    const key = newKey()
    expect((await api.call('POST', path, withKey(key, body))).status).toBeLessThan(300)
    const other = await api.call('POST', path, withKey(key, { ...body, reference: 'another' }))
    expectError(other, 409, 'idempotency_key_reused')
    expect(other.headers.get('idempotent-replayed')).toBeNull()
    expect(await countOf(list)).toBe(before + 1)
  })
})

describe('Idempotency-Key', () => {
  test('the same JSON with its keys in another order is the same request', async () => {
    const { tenantId } = await seedTenant(api)
    const key = newKey()
    const first = await api.call(
      'POST',
      paths.customers(tenantId),
      withKey(key, { name: 'A', email: 'a@example.com' }),
    )
    const reordered = await api.call('POST', paths.customers(tenantId), {
      raw: '{ "email": "a@example.com",\n  "name": "A" }',
      headers: { 'Idempotency-Key': key },
    })
    expectReplayOf(reordered, first)
    expect(await countOf(paths.customers(tenantId))).toBe(2)
  })

  test('the same key on another path answers idempotency_key_reused', async () => {
    const a = await seedTenant(api)
    const b = await seedTenant(api)
    const key = newKey()
    expectOk(await api.call('POST', paths.customers(a.tenantId), withKey(key, customerBody())), 201)
    expectError(
      await api.call('POST', paths.customers(b.tenantId), withKey(key, customerBody())),
      409,
      'idempotency_key_reused',
    )
    expect(await countOf(paths.customers(b.tenantId))).toBe(1)
  })

  test('keys are scoped per API key: two callers using one key do not collide', async () => {
    const { tenantId } = await seedTenant(api)
    const otherKey = await api.t.apiKey('second integration')
    const key = newKey()
    const mine = await api.call('POST', paths.customers(tenantId), withKey(key, customerBody()))
    const theirs = await api.call('POST', paths.customers(tenantId), withKey(key, customerBody(), otherKey))
    const a = expectOk(mine, 201, CustomerSchema)
    const b = expectOk(theirs, 201, CustomerSchema)
    expect(theirs.headers.get('idempotent-replayed')).toBeNull()
    expect(a.id).not.toBe(b.id)
    const theirsWithOtherBody = await api.call(
      'POST',
      paths.customers(tenantId),
      withKey(key, customerBody({ name: 'Z' }), otherKey),
    )
    expectError(theirsWithOtherBody, 409, 'idempotency_key_reused')
    expect(await countOf(paths.customers(tenantId))).toBe(3) // the seeded one, and one per caller
  })

  test('a refusal for a missing tenant is not stored: once the tenant exists, the retry acts', async () => {
    const tenantId = `later-${newKey()}`
    const key = newKey()
    const body = customerBody()
    expectError(await api.call('POST', paths.customers(tenantId), withKey(key, body)), 404, 'not_found')
    expectOk(await api.call('PUT', paths.tenant(tenantId), { json: { name: 'Later Ltd' } }), 201)
    const retry = await api.call('POST', paths.customers(tenantId), withKey(key, body))
    expect(retry.headers.get('idempotent-replayed')).toBeNull()
    expectOk(retry, 201, CustomerSchema)
    // the outcome is stored from then on
    expectReplayOf(await api.call('POST', paths.customers(tenantId), withKey(key, body)), retry)
    expect(await countOf(paths.customers(tenantId))).toBe(1)
  })

  test('a validation refusal is not stored: the corrected body under the same key acts, once', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const key = newKey()
    const bad = invoiceBody(customerId, { currency: 'XYZ' })
    expectInvalid(await api.call('POST', paths.invoices(tenantId), withKey(key, bad)), 'currency')
    const again = await api.call('POST', paths.invoices(tenantId), withKey(key, bad))
    expectInvalid(again, 'currency')
    expect(again.headers.get('idempotent-replayed')).toBeNull()
    const good = { ...bad, currency: 'GBP' }
    const first = await api.call('POST', paths.invoices(tenantId), withKey(key, good))
    expectOk(first, 201, InvoiceSchema)
    expectReplayOf(await api.call('POST', paths.invoices(tenantId), withKey(key, good)), first)
    // now the key is bound to the body that acted
    expectError(
      await api.call('POST', paths.invoices(tenantId), withKey(key, bad)),
      409,
      'idempotency_key_reused',
    )
    expect(await countOf(paths.invoices(tenantId))).toBe(1)
  })

  test('a refusal for a record not ready yet is not stored: after the invoice is sent, the retry acts', async () => {
    const { tenantId, invoiceId } = await seedTenant(api, { invoice: 'draft' })
    const key = newKey()
    const body = paymentBody(invoiceId)
    expectError(
      await api.call('POST', paths.payments(tenantId), withKey(key, body)),
      409,
      'invalid_state_change',
    )
    expectOk(await api.call('POST', `${paths.invoices(tenantId)}/${invoiceId}/send`), 200)
    const retry = await api.call('POST', paths.payments(tenantId), withKey(key, body))
    expect(retry.headers.get('idempotent-replayed')).toBeNull()
    expectOk(retry, 201)
    expectReplayOf(await api.call('POST', paths.payments(tenantId), withKey(key, body)), retry)
    expect(await countOf(paths.payments(tenantId))).toBe(1)
  })

  test('a conflict is replayed as a conflict, even after the clash is gone elsewhere', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const body = invoiceBody(customerId)
    expectOk(await api.call('POST', paths.invoices(tenantId), { json: body }), 201)
    const key = newKey()
    const first = await api.call('POST', paths.invoices(tenantId), withKey(key, body))
    expectError(first, 409, 'conflict')
    expectReplayOf(await api.call('POST', paths.invoices(tenantId), withKey(key, body)), first)
  })

  test('events replay too: sending twice with one key answers the first send', async () => {
    const { tenantId, invoiceId } = await seedTenant(api, { invoice: 'draft' })
    const path = `${paths.invoices(tenantId)}/${invoiceId}/send`
    const key = newKey()
    const first = await api.call('POST', path, { headers: { 'Idempotency-Key': key } })
    expect(expectOk(first, 200, InvoiceSchema).version).toBe(2)
    expectReplayOf(await api.call('POST', path, { headers: { 'Idempotency-Key': key } }), first)
    const invoice = expectOk(
      await api.call('GET', `${paths.invoices(tenantId)}/${invoiceId}`),
      200,
      InvoiceSchema,
    )
    expect(invoice.version).toBe(2)
  })

  test('keys last 24 hours: replayed just before, a fresh request just after', async () => {
    const { tenantId } = await seedTenant(api)
    const key = newKey()
    const first = await api.call('POST', paths.customers(tenantId), withKey(key, customerBody()))
    expectOk(first, 201)
    api.t.advance(DAY - 1000)
    expectReplayOf(await api.call('POST', paths.customers(tenantId), withKey(key, customerBody())), first)
    api.t.advance(1000)
    const later = await api.call('POST', paths.customers(tenantId), withKey(key, customerBody()))
    expect(later.headers.get('idempotent-replayed')).toBeNull()
    expect(expectOk(later, 201, CustomerSchema).id).not.toBe((first.body as { id: string }).id)
    // After expiry the key may even carry another body.
    api.t.advance(DAY)
    expectOk(
      await api.call('POST', paths.customers(tenantId), withKey(key, customerBody({ name: 'New' }))),
      201,
    )
    expect(await countOf(paths.customers(tenantId))).toBe(4)
  })

  test('without a key, each POST acts', async () => {
    const { tenantId } = await seedTenant(api)
    for (let i = 0; i < 2; i++)
      expectOk(await api.call('POST', paths.customers(tenantId), { json: customerBody() }), 201)
    expect(await countOf(paths.customers(tenantId))).toBe(3)
  })

  test('a key that is empty, too long or not visible ASCII answers validation_failed', async () => {
    const { tenantId } = await seedTenant(api)
    for (const key of ['', 'k'.repeat(256), 'has space', 'tab\there'])
      expectInvalid(
        await api.call('POST', paths.customers(tenantId), withKey(key, customerBody())),
        'Idempotency-Key',
      )
    const page = expectPage(await api.call('GET', paths.customers(tenantId)), CustomerSchema)
    expect(page.data).toHaveLength(1)
  })

  test('a replay is refused to a caller without a valid API key', async () => {
    const { tenantId } = await seedTenant(api)
    const key = newKey()
    expectOk(await api.call('POST', paths.customers(tenantId), withKey(key, customerBody())), 201)
    const res = await api.call('POST', paths.customers(tenantId), {
      ...withKey(key, customerBody()),
      token: null,
    })
    expectError(res, 401, 'unauthenticated')
    expect(res.headers.get('idempotent-replayed')).toBeNull()
  })
})
