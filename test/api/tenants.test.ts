import { describe, expect, test } from 'vitest'
import { TenantSchema } from '../../shared/api/tenants.ts'
import {
  expectAllRefused,
  expectError,
  expectInvalid,
  expectOk,
  oversized,
  paths,
  useApi,
} from './support.ts'

const api = useApi()

describe('PUT /v1/tenants/{tenantId}', () => {
  test('creates the tenant (201), then renames it (200); the same name changes nothing', async () => {
    const created = expectOk(
      await api.call('PUT', paths.tenant('acme-plumbing'), { json: { name: '  Acme Plumbing  ' } }),
      201,
      TenantSchema,
    )
    const at = new Date(api.t.now()).toISOString()
    expect(created).toEqual({ id: 'acme-plumbing', name: 'Acme Plumbing', createdAt: at, updatedAt: at })

    api.t.advance(60_000)
    const same = expectOk(
      await api.call('PUT', paths.tenant('acme-plumbing'), { json: { name: 'Acme Plumbing' } }),
      200,
      TenantSchema,
    )
    expect(same).toEqual(created)

    const renamed = expectOk(
      await api.call('PUT', paths.tenant('acme-plumbing'), { json: { name: 'Acme Plumbing Ltd' } }),
      200,
      TenantSchema,
    )
    expect(renamed).toEqual({
      ...created,
      name: 'Acme Plumbing Ltd',
      updatedAt: new Date(api.t.now()).toISOString(),
    })
    expect(expectOk(await api.call('GET', paths.tenant('acme-plumbing')), 200, TenantSchema)).toEqual(renamed)
  })

  test('ids may use letters, digits and _ . : -', async () => {
    for (const id of ['A', 'org_42', 'eu.west:7', 'x'.repeat(128)])
      expectOk(await api.call('PUT', paths.tenant(id), { json: { name: 'N' } }), 201, TenantSchema)
  })

  test('field errors: a bad tenant id, an empty name, unknown fields', async () => {
    for (const id of ['-leading', '.dot', 'x'.repeat(129), 'has%20space', 'semi;colon'])
      expectInvalid(await api.call('PUT', paths.tenant(id), { json: { name: 'N' } }), 'param.tenantId')
    expectInvalid(await api.call('PUT', paths.tenant('t-fields'), { json: { name: '   ' } }), 'name')
    expectInvalid(await api.call('PUT', paths.tenant('t-fields'), { json: { name: 7 } }), 'name')
    expectInvalid(await api.call('PUT', paths.tenant('t-fields'), { json: {} }), 'name')
    expectInvalid(
      await api.call('PUT', paths.tenant('t-fields'), { json: { name: 'N', plan: 'pro' } }),
      '(body)',
    )
    expectInvalid(
      await api.call('PUT', paths.tenant('t-fields'), { json: { name: 'x'.repeat(256) } }),
      'name',
    )
    expectError(await api.call('GET', paths.tenant('t-fields')), 404, 'not_found')
  })

  test('broken JSON, non-JSON and oversized bodies are refused, creating nothing', async () => {
    expectError(
      await api.call('PUT', paths.tenant('t-bodies'), { raw: '{"name":"A"' }),
      400,
      'malformed_request',
    )
    expectError(
      await api.call('PUT', paths.tenant('t-bodies'), { raw: 'name=A', contentType: 'text/plain' }),
      415,
      'unsupported_media_type',
    )
    expectError(
      await api.call('PUT', paths.tenant('t-bodies'), { json: oversized() }),
      413,
      'payload_too_large',
    )
    expectError(await api.call('GET', paths.tenant('t-bodies')), 404, 'not_found')
  })
})

describe('GET /v1/tenants/{tenantId}', () => {
  test('an unknown tenant answers not_found; a malformed id answers validation_failed', async () => {
    expectError(await api.call('GET', paths.tenant('never-made')), 404, 'not_found')
    expectInvalid(await api.call('GET', paths.tenant('_under')), 'param.tenantId')
  })
})

describe('credentials', () => {
  test('both tenant routes refuse callers without a valid API key, and nothing is created or renamed', async () => {
    const id = await api.tenant()
    const before = expectOk(await api.call('GET', paths.tenant(id)), 200, TenantSchema)
    await expectAllRefused(api, id, 'GET', paths.tenant(id))
    await expectAllRefused(api, id, 'PUT', paths.tenant(id), { name: 'Hijacked' })
    await expectAllRefused(api, id, 'PUT', paths.tenant('t-new-by-stranger'), { name: 'New' })
    expect(expectOk(await api.call('GET', paths.tenant(id)), 200, TenantSchema)).toEqual(before)
    expectError(await api.call('GET', paths.tenant('t-new-by-stranger')), 404, 'not_found')
  })
})
