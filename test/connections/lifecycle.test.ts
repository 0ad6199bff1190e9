import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { CANARY } from '../emulators/common/canary.ts'
import { CHECK_EVERY_MS, ROUTINE_CHECK_EVERY_MS } from '../../server/connections/service.ts'
import { toOrganisation, type ConnectionRow } from '../../server/connections/token-store.ts'
import type { TestApp } from '../helpers/app.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { connect, status } from './flow.ts'
import { runDueJobs } from './support.ts'

const ctx = useEmulatedApp()
let emu: typeof ctx.emu
let t: TestApp
beforeAll(() => {
  ;({ emu, t } = ctx)
})

const row = (id: string) =>
  t.db.get<ConnectionRow>('SELECT * FROM connections WHERE id = ?', [id]) as Promise<ConnectionRow>
/** A provider call through the connection, as the sync will make them. */
async function callProvider(id: string) {
  const r = await row(id)
  const adapter = t.services.providers.get(r.provider)!
  return t.services.connections.tokens.withAccessToken(id, (token) =>
    adapter.organisations.check(token, toOrganisation(r)),
  )
}

describe('revocation and expiry show in the panel', () => {
  test('Xero: the organisation disconnected on Xero’s side shows as revoked on the next look', async () => {
    const token = await t.session({ tenant: 'revoked-xero', sub: 'a' })
    const { status: s } = await connect(t, token, 'xero')
    emu.handles.xero!.control.disconnectTenant(s.connection!.organisation.id)
    expect((await status(t, token)).connection!.status).toBe('active') // a look only reads
    await t.services.periodic.ensure()
    t.advance(ROUTINE_CHECK_EVERY_MS + 1)
    await runDueJobs(t) // the scan queues the routine check, the check finds the removal
    const after = await status(t, token)
    expect(after.connection).toMatchObject({ status: 'revoked', lastError: { code: 'connection_revoked' } })
    expect(after.connection!.lastError!.correlationId).toBeTruthy()
  })

  test('Sage: a grant revoked on the provider’s side expires the connection at the next refresh', async () => {
    const token = await t.session({ tenant: 'expired-sage', sub: 'a' })
    const { status: s } = await connect(t, token, 'sage')
    const id = s.connection!.id
    const refresh = t.services.connections.tokens
    expect(await refresh.accessToken(id)).toBeTruthy()
    const access = await refresh.accessToken(id)
    emu.handles.sage!.control.revokeGrant(access)
    await t.db.run('UPDATE connections SET access_expires_at = 0 WHERE id = ?', [id])
    await expect(callProvider(id)).rejects.toMatchObject({ code: 'connection_expired' })
    expect((await status(t, token)).connection).toMatchObject({
      status: 'expired',
      lastError: { code: 'connection_expired' },
    })
    // A later call is refused at once, without asking the provider again.
    const before = emu.handles.sage!.control.requests().length
    await expect(callProvider(id)).rejects.toMatchObject({ code: 'connection_expired' })
    expect(emu.handles.sage!.control.requests().length).toBe(before)
  })

  test('QuickBooks: a 401 refreshes once and the call goes through', async () => {
    const token = await t.session({ tenant: 'qbo-401', sub: 'a' })
    const { status: s } = await connect(t, token, 'quickbooks')
    const id = s.connection!.id
    const versionBefore = (await row(id)).token_version
    emu.handles.quickbooks!.control.expireTokens('access')
    await callProvider(id)
    expect((await row(id)).token_version).toBe(versionBefore + 1)
    expect((await status(t, token)).connection!.status).toBe('active')
  })
})

const SECRET_FIELDS = new Set([
  'code',
  'code_verifier',
  'refresh_token',
  'access_token',
  'token',
  'client_secret',
])

describe('QuickBooks’ Disconnect URL', () => {
  test('after a disconnect in QuickBooks, the visit marks the connection revoked; a forged visit changes nothing', async () => {
    const token = await t.session({ tenant: 'qbo-disconnect', sub: 'a' })
    const { status: s } = await connect(t, token, 'quickbooks')
    const realm = s.connection!.organisation.id

    t.advance(CHECK_EVERY_MS + 1) // checks are at most one per connection per interval
    const forged = await t.request(`/v1/oauth/quickbooks/disconnected?realmId=${realm}`)
    expect(forged.status).toBe(200)
    await runDueJobs(t)
    expect((await status(t, token)).connection!.status).toBe('active') // still works, so left alone

    emu.handles.quickbooks!.control.disconnectFromQuickBooks(realm)
    t.advance(CHECK_EVERY_MS + 1)
    const page = await t.request(`/v1/oauth/quickbooks/disconnected?realmId=${realm}`)
    expect(await page.text()).toContain('Disconnected from QuickBooks')
    await runDueJobs(t)
    expect((await status(t, token)).connection).toMatchObject({
      status: 'revoked',
      lastError: { code: 'connection_revoked' },
    })
    expect((await t.request('/v1/oauth/quickbooks/disconnected?realmId=abc')).status).toBe(400)
  })
})

describe('staying connected', () => {
  test('idle grants are refreshed before they would die unused, busy ones are left alone', async () => {
    const token = await t.session({ tenant: 'idle-sage', sub: 'a' })
    const { status: s } = await connect(t, token, 'sage') // 31 days of idle life
    const id = s.connection!.id
    const before = (await row(id)).token_version
    expect(await t.services.connections.tokens.keepAlive()).toBe(0)
    t.advance(16 * 86_400_000) // past half of Sage's 31 days
    expect(await t.services.connections.tokens.keepAlive()).toBeGreaterThanOrEqual(1)
    expect(await row(id)).toMatchObject({ token_version: before + 1, status: 'active' })
  })

  test('QuickBooks: the grant’s hard expiry is known, so the panel can ask for a reconnect in time', async () => {
    const token = await t.session({ tenant: 'qbo-cap', sub: 'a' })
    const { status: s } = await connect(t, token, 'quickbooks')
    const reconnectBy = Date.parse(s.connection!.reconnectBy!)
    expect(reconnectBy).toBeGreaterThan(t.now() + 365 * 86_400_000)
    const xero = await t.session({ tenant: 'xero-cap', sub: 'a' })
    expect((await connect(t, xero, 'xero')).status.connection!.reconnectBy).toBeNull()
  })
})

describe('no token in plaintext anywhere', () => {
  test('after connect, refresh and disconnect on every provider, neither the database files nor the logs hold a token', async () => {
    for (const provider of ['xero', 'quickbooks', 'sage'] as const) {
      const token = await t.session({ tenant: `plain-${provider}`, sub: 'a' })
      const { status: s } = await connect(t, token, provider)
      await t.db.run('UPDATE connections SET access_expires_at = 0 WHERE id = ?', [s.connection!.id])
      await callProvider(s.connection!.id) // refresh, then an API call
      expect((await t.request('/v1/connection', { method: 'DELETE', token })).status).toBe(204)
    }
    // Every token the emulators saw from us: bearer headers and form or JSON bodies.
    const secrets = new Set<string>()
    for (const provider of ['xero', 'quickbooks', 'sage'] as const)
      for (const r of emu.handles[provider]!.control.requests()) {
        const bearer = /^Bearer (.+)$/i.exec(r.headers.authorization ?? '')?.[1]
        if (bearer) secrets.add(bearer)
        for (const [k, v] of new URLSearchParams(r.body)) if (SECRET_FIELDS.has(k)) secrets.add(v)
        if (r.body.startsWith('{'))
          for (const [k, v] of Object.entries(JSON.parse(r.body) as Record<string, unknown>))
            if (SECRET_FIELDS.has(k) && typeof v === 'string') secrets.add(v)
      }
    expect(secrets.size).toBeGreaterThan(6)
    const files = readdirSync(t.dir).map((f) => readFileSync(join(t.dir, f)).toString('latin1'))
    const haystack = [...files, t.logs.join('\n')].join('\n')
    for (const secret of secrets)
      expect(haystack.includes(secret), `${secret.slice(0, 12)}… is stored or logged`).toBe(false)
    expect(haystack.includes(CANARY)).toBe(false)
  })
})
