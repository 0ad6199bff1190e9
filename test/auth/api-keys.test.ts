import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCli } from '../../server/cli.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

describe('API keys', () => {
  test('a key works, is stored only as a hash and records when it was last used', async () => {
    const { key, apiKey } = await t.services.apiKeys.create('backend')
    expect(key).toMatch(/^llk_[a-z2-7]{26}\.[a-z2-7]{30,}$/)
    const secret = key.split('.')[1]!
    expect(JSON.stringify(await t.db.all('SELECT * FROM api_keys'))).not.toContain(secret)
    expect(
      (await t.request('/v1/tenants/acme', { method: 'PUT', json: { name: 'Acme' }, token: key })).status,
    ).toBe(201)
    const [listed] = (await t.services.apiKeys.list()).filter((k) => k.id === apiKey.id)
    expect(listed!.lastUsedAt).toBe(t.now())
  })

  test('last use is written at most once a minute', async () => {
    const { key, apiKey } = await t.services.apiKeys.create('busy')
    const first = t.now()
    await t.request('/v1/tenants/acme', { token: key })
    t.advance(30_000)
    await t.request('/v1/tenants/acme', { token: key })
    expect((await t.services.apiKeys.list()).find((k) => k.id === apiKey.id)!.lastUsedAt).toBe(first)
    t.advance(31_000)
    await t.request('/v1/tenants/acme', { token: key })
    expect((await t.services.apiKeys.list()).find((k) => k.id === apiKey.id)!.lastUsedAt).toBe(first + 61_000)
  })

  test('a revoked, unknown or tampered key answers 401', async () => {
    const { key, apiKey } = await t.services.apiKeys.create('to-revoke')
    const tampered = key.slice(0, -2) + (key.endsWith('aa') ? 'bb' : 'aa')
    expect(await t.services.apiKeys.revoke(apiKey.id)).toBe(true)
    expect(await t.services.apiKeys.revoke(apiKey.id)).toBe(false)
    for (const token of [key, tampered, 'llk_nope.nope', 'Bearer']) {
      const res = await t.request('/v1/tenants/acme', { token })
      expect(res.status).toBe(401)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated')
    }
    expect((await t.request('/v1/tenants/acme')).status).toBe(401)
  })
})

describe('npm run cli -- api-keys', () => {
  test('create shows the key once; list never shows secrets; revoke stops it', async () => {
    const env = { ...process.env }
    process.env.DATABASE_URL = t.config.database.url
    try {
      const out: string[] = []
      expect(await runCli(['api-keys', 'create', '--name', 'Field app backend'], (s) => out.push(s))).toBe(0)
      const key = /llk_[a-z2-7]+\.[a-z2-7]+/.exec(out.join('\n'))![0]
      const id = key.slice(4, 30)
      expect((await t.request('/v1/tenants/acme', { token: key })).status).not.toBe(401)

      const listed: string[] = []
      expect(await runCli(['api-keys', 'list'], (s) => listed.push(s))).toBe(0)
      expect(listed.join('\n')).toContain('Field app backend')
      expect(listed.join('\n')).not.toContain(key.split('.')[1])

      expect(await runCli(['api-keys', 'revoke', id], () => undefined)).toBe(0)
      expect((await t.request('/v1/tenants/acme', { token: key })).status).toBe(401)
      expect(await runCli(['api-keys', 'revoke', id], () => undefined)).toBe(1)
      expect(await runCli(['api-keys', 'create'], () => undefined)).toBe(2)
      expect(await runCli(['nonsense'], () => undefined)).toBe(2)
    } finally {
      process.env = env
    }
  })
})
