import { beforeAll, describe, expect, test } from 'vitest'
import { PROVIDER_IDS } from '../../shared/providers.ts'
import type { TestApp } from '../helpers/app.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { DEMO_TENANT_IDS } from '../emulators/xero/index.ts'
import { browse, connect, postedMessage, startConnection, status } from './flow.ts'

const ctx = useEmulatedApp()
let emu: typeof ctx.emu
let t: TestApp
beforeAll(() => {
  ;({ emu, t } = ctx)
})

let n = 0
/** An admin of a tenant of their own, so tests do not see each other's connections. */
const admin = () => t.session({ tenant: `conn-${++n}`, sub: `admin-${n}`, name: `Admin ${n}` })
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code

describe.each(PROVIDER_IDS)('connecting %s', (provider) => {
  test('consent in the provider, then the panel says connected to the organisation', async () => {
    const token = await admin()
    const { page, html, status: s } = await connect(t, token, provider)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    // The page hands the widget what completes the consent; the widget's session completes it.
    expect(postedMessage(html)).toEqual({
      type: 'ledgerlink:oauth',
      outcome: 'authorised',
      provider,
      attemptId: expect.stringMatching(/^att_/),
      secret: expect.stringMatching(/^[\w-]{43}$/),
    })
    expect(html).toContain('data-origin="http://localhost:3000"')
    expect(s.connection).toMatchObject({ provider, status: 'active', lastError: null })
    expect(s.connection!.organisation.name.length).toBeGreaterThan(0)
  })

  test('disconnect revokes at the provider, forgets the tokens and keeps the row', async () => {
    const token = await admin()
    const { status: before } = await connect(t, token, provider)
    const id = before.connection!.id
    expect((await t.request('/v1/connection', { method: 'DELETE', token })).status).toBe(204)
    expect((await status(t, token)).connection).toBeNull()
    const row = await t.db.get<{ status: string; access_token: string | null; refresh_token: string | null }>(
      'SELECT status, access_token, refresh_token FROM connections WHERE id = ?',
      [id],
    )
    expect(row).toEqual({ status: 'disconnected', access_token: null, refresh_token: null })
    const revocations = emu.handles[provider]!.control.requests().filter((r) => /revo/.test(r.path))
    expect(revocations.length).toBeGreaterThan(0)
  })

  test('reconnecting to the same organisation keeps the same connection', async () => {
    const token = await admin()
    const first = (await connect(t, token, provider)).status.connection!
    await t.request('/v1/connection', { method: 'DELETE', token })
    const again = (await connect(t, token, provider)).status.connection!
    expect(again.id).toBe(first.id)
    expect(again.organisation).toEqual(first.organisation)
  })
})

describe('the consent is bound to its session, its browser and its moment', () => {
  test('a state nobody issued is refused', async () => {
    const page = await t.request('/v1/oauth/callback?code=abc&state=forged-state-value')
    expect(page.status).toBe(400)
    expect(await page.text()).toContain('Start again')
  })

  test('a replayed callback is refused and changes nothing', async () => {
    const token = await admin()
    const started = (await (await startConnection(t, token, { provider: 'sage' })).json()) as {
      authorizeUrl: string
    }
    const flow = await browse(t, 'sage', started.authorizeUrl)
    expect(postedMessage(await (await flow.callback()).text())?.outcome).toBe('authorised')
    const replay = await flow.callback()
    expect(replay.status).toBe(400)
  })

  test('a callback in another browser (without the binding cookie) is refused', async () => {
    const token = await admin()
    const started = (await (await startConnection(t, token, { provider: 'sage' })).json()) as {
      authorizeUrl: string
    }
    const flow = await browse(t, 'sage', started.authorizeUrl)
    expect((await flow.callback('')).status).toBe(400)
    expect((await status(t, token)).connection).toBeNull()
  })

  test('the begin link works once', async () => {
    const token = await admin()
    const { authorizeUrl } = (await (await startConnection(t, token, { provider: 'xero' })).json()) as {
      authorizeUrl: string
    }
    const path = new URL(authorizeUrl).pathname + new URL(authorizeUrl).search
    expect((await t.request(path)).status).toBe(302)
    expect((await t.request(path)).status).toBe(400)
  })

  test('a consent older than ten minutes is refused', async () => {
    const token = await admin()
    const started = (await (await startConnection(t, token, { provider: 'sage' })).json()) as {
      authorizeUrl: string
    }
    const flow = await browse(t, 'sage', started.authorizeUrl)
    t.advance(10 * 60_000 + 1)
    expect((await flow.callback()).status).toBe(400)
  })

  test('a PKCE verifier that does not match the challenge fails the exchange at the provider', async () => {
    const token = await admin()
    const started = (await (await startConnection(t, token, { provider: 'xero' })).json()) as {
      authorizeUrl: string
    }
    const flow = await browse(t, 'xero', started.authorizeUrl)
    const attempt = (await t.db.get<{ id: string }>(
      'SELECT id FROM oauth_attempts ORDER BY created_at DESC LIMIT 1',
    ))!
    const cipher = (await import('../../server/crypto/token-cipher.ts')).createTokenCipher(t.config.tokenKeys)
    await t.db.run('UPDATE oauth_attempts SET code_verifier = ? WHERE id = ?', [
      cipher.encrypt('a-different-verifier-of-sufficient-length-0123456789', `${attempt.id}:verifier`),
      attempt.id,
    ])
    const message = postedMessage(await (await flow.callback()).text())
    expect(message).toMatchObject({ outcome: 'failed', errorCode: 'provider_error' })
    expect((await status(t, token)).connection).toBeNull()
  })

  test('Cancel on the consent page comes back as cancelled', async () => {
    const token = await admin()
    const { html } = await connect(t, token, 'quickbooks', { decision: 'cancel' })
    expect(postedMessage(html)).toMatchObject({ outcome: 'cancelled', provider: 'quickbooks' })
  })

  test('a signed-out session cannot finish a consent it started', async () => {
    const token = await admin()
    const started = (await (await startConnection(t, token, { provider: 'sage' })).json()) as {
      authorizeUrl: string
    }
    const flow = await browse(t, 'sage', started.authorizeUrl)
    await t.request('/v1/session', { method: 'DELETE', token })
    expect(postedMessage(await (await flow.callback()).text())).toMatchObject({
      outcome: 'failed',
      errorCode: 'unauthenticated',
    })
  })
})

describe('starting a connection', () => {
  test('needs a session and the admin role', async () => {
    expect((await t.request('/v1/connections', { method: 'POST', json: { provider: 'xero' } })).status).toBe(
      401,
    )
    const member = await t.session({ tenant: 'members-only', sub: 'm', role: 'member' })
    const res = await startConnection(t, member, { provider: 'xero' })
    expect(res.status).toBe(403)
    expect(await code(res)).toBe('forbidden')
    expect((await t.request('/v1/connection', { method: 'DELETE', token: member })).status).toBe(403)
  })

  test('disconnecting with nothing connected answers no_connection', async () => {
    const token = await admin()
    const res = await t.request('/v1/connection', { method: 'DELETE', token })
    expect(res.status).toBe(409)
    expect(await code(res)).toBe('no_connection')
  })

  test('redirect URIs come from the allowlist only, and a redirect needs an allowed returnTo', async () => {
    const token = await admin()
    // Not the user's input: the server's configuration does not allow them (see completion.test.ts).
    const bad = await startConnection(t, token, { provider: 'xero', redirectUri: 'https://evil.example/cb' })
    expect(bad.status).toBe(500)
    expect(await code(bad.clone())).toBe('configuration_error')
    expect(JSON.stringify(await bad.json())).toContain('redirectUri')
    const noReturn = await startConnection(t, token, { provider: 'xero', mode: 'redirect' })
    expect(noReturn.status).toBe(400)
    const foreign = await startConnection(t, token, {
      provider: 'xero',
      mode: 'redirect',
      returnTo: 'https://evil.example/',
    })
    expect(foreign.status).toBe(500)
    expect(await code(foreign)).toBe('configuration_error')
    expect((await startConnection(t, token, { provider: 'nope' })).status).toBe(400)
  })

  test('a full-page redirect comes back to the page that started it', async () => {
    const token = await admin()
    const { page } = await connect(
      t,
      token,
      'sage',
      {},
      { mode: 'redirect', returnTo: 'http://localhost:3000/demo/settings?tab=1' },
    )
    expect(page.status).toBe(303)
    const back = new URL(page.headers.get('location')!)
    expect(back.pathname).toBe('/demo/settings')
    expect(back.searchParams.get('tab')).toBe('1')
    expect(back.searchParams.get('ledgerlink_oauth')).toBe('authorised')
    expect(back.searchParams.get('ledgerlink_provider')).toBe('sage')
    expect(back.searchParams.get('ledgerlink_attempt')).toMatch(/^att_/)
    expect(back.searchParams.get('ledgerlink_secret')).toMatch(/^[\w-]{43}$/)
  })

  test('switching provider needs an explicit confirmation, then replaces the connection', async () => {
    const token = await admin()
    await connect(t, token, 'sage')
    const refused = await startConnection(t, token, { provider: 'xero' })
    expect(refused.status).toBe(409)
    expect(await code(refused)).toBe('provider_switch_unconfirmed')
    const { status: s } = await connect(t, token, 'xero', {}, { confirmSwitch: true })
    expect(s.connection).toMatchObject({ provider: 'xero', status: 'active' })
    const rows = await t.db.all<{ provider: string; status: string }>(
      'SELECT c.provider, c.status FROM connections c JOIN sessions s ON s.tenant_id = c.tenant_id WHERE s.id = ? ORDER BY c.created_at',
      [token.split('.')[0]!],
    )
    expect(rows).toEqual([
      { provider: 'sage', status: 'disconnected' },
      { provider: 'xero', status: 'active' },
    ])
  })
})

describe('several organisations in one consent (Xero)', () => {
  test('the user picks one; the others are let go; only this consent’s organisations are offered', async () => {
    const token = await admin()
    const offered = [DEMO_TENANT_IDS.uk, DEMO_TENANT_IDS.us, DEMO_TENANT_IDS.au]
    const connectedTenants = () => emu.handles.xero!.control.connections().map((c) => c.tenantId)
    const { html, status: s } = await connect(t, token, 'xero', {
      organisations: [offered[0]!, offered[1]!],
      pick: false,
    })
    expect(postedMessage(html)).toMatchObject({ outcome: 'authorised' })
    expect(s.connection).toBeNull()
    expect(s.pendingChoice!.organisations.map((o) => o.id).sort()).toEqual([offered[0], offered[1]].sort())

    const other = await t.session({ tenant: 'other-tenant', sub: 'x' })
    const stolen = await t.request('/v1/connections/choose', {
      method: 'POST',
      token: other,
      json: { attemptId: s.pendingChoice!.attemptId, organisationId: offered[0] },
    })
    expect(stolen.status).toBe(404)
    const wrong = await t.request('/v1/connections/choose', {
      method: 'POST',
      token,
      json: { attemptId: s.pendingChoice!.attemptId, organisationId: offered[2] },
    })
    expect(wrong.status).toBe(400)

    const chosen = await t.request('/v1/connections/choose', {
      method: 'POST',
      token,
      json: { attemptId: s.pendingChoice!.attemptId, organisationId: offered[1] },
    })
    expect(chosen.status).toBe(200)
    expect(await chosen.json()).toMatchObject({
      provider: 'xero',
      organisation: { id: offered[1] },
      status: 'active',
    })
    const after = await status(t, token)
    expect(after.pendingChoice).toBeNull()
    expect(connectedTenants()).not.toContain(offered[0])
    expect(connectedTenants()).toContain(offered[1])
  })
})

describe('provider errors on the code exchange', () => {
  test('a token endpoint that fails answers failed with what to do, and nothing is stored', async () => {
    const token = await admin()
    const started = (await (await startConnection(t, token, { provider: 'sage' })).json()) as {
      authorizeUrl: string
    }
    const flow = await browse(t, 'sage', started.authorizeUrl)
    emu.handles.sage!.control.injectFault({ kind: 'status', status: 503 })
    const message = postedMessage(await (await flow.callback()).text())
    expect(message).toMatchObject({ outcome: 'failed', errorCode: 'provider_unavailable' })
    expect((await status(t, token)).connection).toBeNull()
  })
})
