import { describe, expect, test } from 'vitest'
import { CustomerSchema } from '../../shared/api/customers.ts'
import {
  createId,
  createSpacedIn,
  customerBody,
  expectAllRefused,
  expectError,
  expectInvalid,
  expectOk,
  expectPage,
  oversized,
  paths,
  useApi,
  walkPages,
} from './support.ts'

const api = useApi()

const UNKNOWN = 'cus_aaaaaaaaaaaaaaaaaaaaaaaaaa'
const full = {
  externalId: 'host-cust-1',
  name: 'Harbour Lights Café',
  email: 'accounts@harbourlights.example',
  phone: '+44 20 7946 0000',
  taxNumber: 'GB123456789',
  currency: 'GBP',
  address: { line1: '1 Quay St', city: 'Bristol', postalCode: 'BS1 4DJ', country: 'GB' },
}

describe('POST /v1/tenants/{tenantId}/customers', () => {
  test('creates a customer with every field, version 1, readable back', async () => {
    const tenant = await api.tenant()
    const created = expectOk(
      await api.call('POST', paths.customers(tenant), { json: full }),
      201,
      CustomerSchema,
    )
    expect(created).toMatchObject({ ...full, version: 1 })
    expect(created.id).toMatch(/^cus_/)
    const read = expectOk(
      await api.call('GET', `${paths.customers(tenant)}/${created.id}`),
      200,
      CustomerSchema,
    )
    expect(read).toEqual(created)
  })

  test('a name alone is enough; optional fields read back as null', async () => {
    const tenant = await api.tenant()
    const created = expectOk(
      await api.call('POST', paths.customers(tenant), { json: { name: '  Trimmed  ' } }),
      201,
      CustomerSchema,
    )
    expect(created).toMatchObject({
      name: 'Trimmed',
      email: null,
      externalId: null,
      address: null,
      currency: null,
    })
  })

  test('field errors name each bad field', async () => {
    const tenant = await api.tenant()
    const res = await api.call('POST', paths.customers(tenant), {
      json: { name: ' ', email: 'not-an-email', currency: 'XYZ', address: { country: 'gb' } },
    })
    expectInvalid(res, 'name', 'email', 'currency', 'address.country')
  })

  test('unknown fields are refused, not ignored', async () => {
    const tenant = await api.tenant()
    const res = await api.call('POST', paths.customers(tenant), { json: { name: 'A', vip: true } })
    expect(expectInvalid(res, '(body)').details[0]?.message).toContain('vip')
  })

  test('broken JSON answers malformed_request', async () => {
    const tenant = await api.tenant()
    expectError(
      await api.call('POST', paths.customers(tenant), { raw: '{"name": "A",' }),
      400,
      'malformed_request',
    )
  })

  test('a body that is not JSON answers unsupported_media_type', async () => {
    const tenant = await api.tenant()
    const res = await api.call('POST', paths.customers(tenant), { raw: 'name=A', contentType: 'text/plain' })
    expectError(res, 415, 'unsupported_media_type')
    const form = await api.call('POST', paths.customers(tenant), {
      raw: 'name=A',
      contentType: 'application/x-www-form-urlencoded',
    })
    expectError(form, 415, 'unsupported_media_type')
  })

  test('a body over 1 MiB answers payload_too_large', async () => {
    const tenant = await api.tenant()
    expectError(
      await api.call('POST', paths.customers(tenant), { json: oversized() }),
      413,
      'payload_too_large',
    )
    expectOk(await api.call('GET', paths.customers(tenant)), 200)
    expect(expectPage(await api.call('GET', paths.customers(tenant)), CustomerSchema).data).toEqual([])
  })

  test('a duplicate externalId in the same tenant is a conflict; another tenant may reuse it', async () => {
    const [a, b] = [await api.tenant(), await api.tenant()]
    await createId(api, paths.customers(a), customerBody({ externalId: 'ext-1' }))
    const res = await api.call('POST', paths.customers(a), { json: customerBody({ externalId: 'ext-1' }) })
    expect(expectError(res, 409, 'conflict').details).toEqual([
      { path: 'externalId', message: expect.any(String) as string },
    ])
    expectOk(await api.call('POST', paths.customers(b), { json: customerBody({ externalId: 'ext-1' }) }), 201)
    expect(expectPage(await api.call('GET', paths.customers(a)), CustomerSchema).data).toHaveLength(1)
  })

  test('an unknown tenant answers not_found', async () => {
    expectError(
      await api.call('POST', paths.customers('nobody-here'), { json: customerBody() }),
      404,
      'not_found',
    )
  })

  test('a malformed tenant id answers validation_failed on the path', async () => {
    expectInvalid(
      await api.call('POST', paths.customers('-bad-'), { json: customerBody() }),
      'param.tenantId',
    )
  })
})

describe('GET /v1/tenants/{tenantId}/customers/{id}', () => {
  test('an unknown id answers not_found; a malformed id answers validation_failed', async () => {
    const tenant = await api.tenant()
    expectError(await api.call('GET', `${paths.customers(tenant)}/${UNKNOWN}`), 404, 'not_found')
    expectInvalid(
      await api.call('GET', `${paths.customers(tenant)}/inv_aaaaaaaaaaaaaaaaaaaaaaaaaa`),
      'param.id',
    )
  })
})

describe('PATCH /v1/tenants/{tenantId}/customers/{id}', () => {
  test('every change bumps the version; a no-op does not; null clears', async () => {
    const tenant = await api.tenant()
    const id = await createId(api, paths.customers(tenant), full)
    const url = `${paths.customers(tenant)}/${id}`
    api.t.advance(1000)
    const renamed = expectOk(
      await api.call('PATCH', url, { json: { name: 'Harbour Lights' } }),
      200,
      CustomerSchema,
    )
    expect(renamed).toMatchObject({ name: 'Harbour Lights', email: full.email, version: 2 })
    expect(renamed.updatedAt > renamed.createdAt).toBe(true)

    api.t.advance(1000)
    const same = expectOk(
      await api.call('PATCH', url, { json: { name: 'Harbour Lights', email: full.email } }),
      200,
      CustomerSchema,
    )
    expect(same).toEqual(renamed)

    const cleared = expectOk(
      await api.call('PATCH', url, { json: { email: null, address: null } }),
      200,
      CustomerSchema,
    )
    expect(cleared).toMatchObject({ email: null, address: null, version: 3 })
    expect(expectOk(await api.call('GET', url), 200, CustomerSchema)).toEqual(cleared)
  })

  test('an empty patch, a bad field and an unknown field answer validation_failed', async () => {
    const tenant = await api.tenant()
    const url = `${paths.customers(tenant)}/${await createId(api, paths.customers(tenant), customerBody())}`
    expectInvalid(await api.call('PATCH', url, { json: {} }), '(body)')
    expectInvalid(await api.call('PATCH', url, { json: { name: '', email: 'x' } }), 'name', 'email')
    expectInvalid(await api.call('PATCH', url, { json: { externalId: 'new' } }), '(body)')
    expect(expectOk(await api.call('GET', url), 200, CustomerSchema).version).toBe(1)
  })

  test('broken JSON, non-JSON and unknown ids are refused', async () => {
    const tenant = await api.tenant()
    const url = `${paths.customers(tenant)}/${await createId(api, paths.customers(tenant), customerBody())}`
    expectError(await api.call('PATCH', url, { raw: '{' }), 400, 'malformed_request')
    expectError(
      await api.call('PATCH', url, { raw: 'x', contentType: 'text/plain' }),
      415,
      'unsupported_media_type',
    )
    expectError(await api.call('PATCH', url, { json: oversized() }), 413, 'payload_too_large')
    const unknown = await api.call('PATCH', `${paths.customers(tenant)}/${UNKNOWN}`, { json: { name: 'B' } })
    expectError(unknown, 404, 'not_found')
  })
})

describe('another tenant', () => {
  test("sees none of tenant A's customers: 404 on read and update, empty list, A unchanged", async () => {
    const [a, b] = [await api.tenant(), await api.tenant()]
    const id = await createId(api, paths.customers(a), full)
    const before = expectOk(await api.call('GET', `${paths.customers(a)}/${id}`), 200, CustomerSchema)

    const read = await api.call('GET', `${paths.customers(b)}/${id}`)
    expectError(read, 404, 'not_found')
    const update = await api.call('PATCH', `${paths.customers(b)}/${id}`, { json: { name: 'Stolen' } })
    expectError(update, 404, 'not_found')
    for (const res of [read, update]) {
      expect(res.text).not.toContain(full.name)
      expect(res.text).not.toContain(full.email)
    }
    expect(expectPage(await api.call('GET', paths.customers(b)), CustomerSchema).data).toEqual([])
    expect(expectOk(await api.call('GET', `${paths.customers(a)}/${id}`), 200, CustomerSchema)).toEqual(
      before,
    )
  })
})

describe('GET /v1/tenants/{tenantId}/customers', () => {
  test('pages of three walk every customer exactly once, oldest first', async () => {
    const tenant = await api.tenant()
    // One millisecond apart over 16 ms: creation order is then a fact the ids must keep.
    const ids = await createSpacedIn(api, 16, (i) =>
      createId(api, paths.customers(tenant), customerBody({ name: `C${i}` })),
    )
    const pages = await walkPages(api, paths.customers(tenant), 3)
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 3, 3, 1])
    expect(new Set(pages.flat())).toEqual(new Set(ids))
    expect(pages.flat()).toEqual(ids)
  })

  test('customers created in the same millisecond are each listed exactly once', async () => {
    const tenant = await api.tenant()
    const ids: string[] = []
    for (let i = 0; i < 9; i++) ids.push(await createId(api, paths.customers(tenant), customerBody()))
    const listed = (await walkPages(api, paths.customers(tenant), 4)).flat()
    expect(listed).toHaveLength(ids.length)
    expect(new Set(listed)).toEqual(new Set(ids))
  })

  test('a forged cursor and a bad limit answer validation_failed', async () => {
    const tenant = await api.tenant()
    expectInvalid(await api.call('GET', `${paths.customers(tenant)}?cursor=not-ours`), 'cursor')
    const forged = Buffer.from("x' OR 1=1 --").toString('base64url')
    expectInvalid(await api.call('GET', `${paths.customers(tenant)}?cursor=${forged}`), 'cursor')
    expectInvalid(await api.call('GET', `${paths.customers(tenant)}?limit=0`), 'query.limit')
    expectInvalid(await api.call('GET', `${paths.customers(tenant)}?limit=201`), 'query.limit')
  })

  test('an unknown tenant answers not_found', async () => {
    expectError(await api.call('GET', paths.customers('nobody-here')), 404, 'not_found')
  })
})

describe('credentials', () => {
  test('every customer route refuses callers without a valid API key', async () => {
    const tenant = await api.tenant()
    const id = await createId(api, paths.customers(tenant), full)
    await expectAllRefused(api, tenant, 'POST', paths.customers(tenant), customerBody())
    await expectAllRefused(api, tenant, 'GET', paths.customers(tenant))
    await expectAllRefused(api, tenant, 'GET', `${paths.customers(tenant)}/${id}`)
    await expectAllRefused(api, tenant, 'PATCH', `${paths.customers(tenant)}/${id}`, { name: 'Changed' })
    const list = expectPage(await api.call('GET', paths.customers(tenant)), CustomerSchema)
    expect(list.data.map((c) => [c.id, c.name, c.version])).toEqual([[id, full.name, 1]])
  })
})
