import { beforeAll, describe, expect, test } from 'vitest'
import type { ProviderId } from '../../shared/providers.ts'
import { ATTEMPT_TTL_MS } from '../../server/auth/oauth-state.ts'
import type { TestApp } from '../helpers/app.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { DEMO_TENANT_IDS } from '../emulators/xero/index.ts'
import { browse, complete, completionOf, connect, startConnection, status } from './flow.ts'

// Security finding 3: a consent connects nothing until the session that started it completes it
// with the one-time secret handed only to the window that started it.
const ctx = useEmulatedApp()
let emu: typeof ctx.emu
let t: TestApp
beforeAll(() => {
  ;({ emu, t } = ctx)
})

let n = 0
const admin = (tenant = `done-${++n}`, sub = `admin-${n}`) => t.session({ tenant, sub, name: `Admin ${n}` })
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code
const HOST_PAGE = 'http://localhost:3000/demo/settings'

/** Starts a consent with `token`, then approves it in a browser that may be someone else's. */
async function authorised(token: string, provider: ProviderId, extra: Record<string, unknown> = {}) {
  const started = await startConnection(t, token, { provider, ...extra })
  expect(started.status).toBe(201)
  const { authorizeUrl } = (await started.json()) as { authorizeUrl: string }
  const flow = await browse(t, provider, authorizeUrl)
  const page = await flow.callback()
  const completion = completionOf(page, await page.text())
  if (!completion) throw new Error('the callback handed back no completion')
  return completion
}

const nothingFor = async (...tokens: string[]) => {
  for (const token of tokens)
    expect(await status(t, token)).toEqual(expect.objectContaining({ connection: null, pendingChoice: null }))
}

describe('the callback connects nothing', () => {
  test('one organisation: no connection until the starting session completes, then connected', async () => {
    const token = await admin()
    const completion = await authorised(token, 'quickbooks')
    await nothingFor(token)
    const res = await complete(t, token, completion)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      outcome: 'connected',
      connection: { provider: 'quickbooks', status: 'active' },
    })
    expect((await status(t, token)).connection).toMatchObject({ provider: 'quickbooks' })
  })

  test('several organisations: no choice is offered until completed, then the choice', async () => {
    const token = await admin()
    const completion = await authorised(token, 'sage') // the emulated Sage user keeps two businesses
    await nothingFor(token)
    const early = await t.request('/v1/connections/choose', {
      method: 'POST',
      token,
      json: { attemptId: completion.attemptId, organisationId: 'anything' },
    })
    expect(early.status).toBe(404)
    const res = await complete(t, token, completion)
    const body = (await res.json()) as { outcome: string; pendingChoice: { organisations: { id: string }[] } }
    expect(body).toMatchObject({
      outcome: 'choose',
      pendingChoice: { attemptId: completion.attemptId, provider: 'sage' },
    })
    expect(body.pendingChoice.organisations).toHaveLength(2)
    expect((await status(t, token)).pendingChoice).toMatchObject({ attemptId: completion.attemptId })
  })
})

describe('a consent started by one tenant and approved by another (the attack)', () => {
  test('neither the attacker nor the victim can complete it; the grant is let go', async () => {
    const attacker = await admin()
    const victim = await admin()
    const connectedBefore = emu.handles.xero!.control.connections().length
    // The attacker sends the begin link; the victim approves it in their own browser.
    const completion = await authorised(attacker, 'xero', { mode: 'redirect', returnTo: HOST_PAGE })
    await nothingFor(attacker, victim)

    const guessed = await complete(t, attacker, { attemptId: completion.attemptId, secret: 'x'.repeat(43) })
    expect(guessed.status).toBe(400)
    expect(await code(guessed)).toBe('oauth_state_invalid')
    // The victim's own widget is handed the secret (returnTo): it is not their consent.
    const byVictim = await complete(t, victim, completion)
    expect(byVictim.status).toBe(400)
    expect(await code(byVictim)).toBe('oauth_state_invalid')
    // That spent it: a secret that reached someone else is worthless, even to the one who started.
    expect((await complete(t, attacker, completion)).status).toBe(400)
    await nothingFor(attacker, victim)
    expect(emu.handles.xero!.control.connections()).toHaveLength(connectedBefore)
    expect(t.logs.some((l) => l.includes('"level":"warn"') && l.includes('did not start it'))).toBe(true)
  })

  test('a wrong secret spends nothing: the rightful session still completes', async () => {
    const token = await admin()
    const completion = await authorised(token, 'quickbooks')
    expect(
      (await complete(t, token, { ...completion, secret: `${completion.secret.slice(1)}A` })).status,
    ).toBe(400)
    expect((await complete(t, await admin(), completion)).status).toBe(400) // another tenant: spent
    await nothingFor(token)
  })
})

describe('who may complete', () => {
  test('popup: only the session that started, not another session of the same user', async () => {
    const tenant = `popup-${++n}`
    const first = await admin(tenant, 'same-user')
    const second = await admin(tenant, 'same-user')
    const completion = await authorised(first, 'quickbooks')
    expect((await complete(t, second, completion)).status).toBe(400)
    await nothingFor(first)
  })

  test('redirect: the same user of the same tenant, in the new session the reloaded page got', async () => {
    const tenant = `redirect-${++n}`
    const before = await admin(tenant, 'same-user')
    const completion = await authorised(before, 'quickbooks', { mode: 'redirect', returnTo: HOST_PAGE })
    const after = await admin(tenant, 'same-user')
    const res = await complete(t, after, completion)
    expect(res.status).toBe(200)
    expect((await status(t, after)).connection).toMatchObject({ provider: 'quickbooks', status: 'active' })
  })

  test('redirect: not another admin of the same tenant', async () => {
    const tenant = `colleague-${++n}`
    const starter = await admin(tenant, 'starter')
    const colleague = await admin(tenant, 'colleague')
    const completion = await authorised(starter, 'quickbooks', { mode: 'redirect', returnTo: HOST_PAGE })
    expect((await complete(t, colleague, completion)).status).toBe(400)
    await nothingFor(starter)
  })

  test('the choice among several organisations is made by the user who completed, only', async () => {
    const tenant = `chooser-${++n}`
    const starter = await admin(tenant, 'starter')
    const colleague = await admin(tenant, 'colleague')
    const offered = [DEMO_TENANT_IDS.uk, DEMO_TENANT_IDS.us]
    const { status: s } = await connect(t, starter, 'xero', { organisations: offered, pick: false })
    const choose = (token: string) =>
      t.request('/v1/connections/choose', {
        method: 'POST',
        token,
        json: { attemptId: s.pendingChoice!.attemptId, organisationId: offered[1] },
      })
    expect((await choose(colleague)).status).toBe(404)
    expect((await choose(starter)).status).toBe(200)
  })

  test('once, and before the consent expires', async () => {
    const token = await admin()
    const completion = await authorised(token, 'quickbooks')
    expect((await complete(t, token, completion)).status).toBe(200)
    expect((await complete(t, token, completion)).status).toBe(400)

    const late = await authorised(token, 'quickbooks')
    t.advance(ATTEMPT_TTL_MS + 1)
    const res = await complete(t, token, late)
    expect(res.status).toBe(400)
    expect(await code(res)).toBe('oauth_state_invalid')
  })

  test('needs an admin session', async () => {
    const body = { attemptId: 'att_x', secret: 'y' }
    expect((await t.request('/v1/connections/complete', { method: 'POST', json: body })).status).toBe(401)
    const member = await t.session({ tenant: `m-${++n}`, sub: 'm', role: 'member' })
    expect((await complete(t, member, body)).status).toBe(403)
  })
})

describe('a page the server is not configured for', () => {
  test('answers configuration_error (not a field to correct) and logs the setting at warn', async () => {
    const token = await admin()
    const loopback = 'http://127.0.0.1:3000/demo/settings' // PUBLIC_URL says localhost
    const redirect = await startConnection(t, token, {
      provider: 'xero',
      mode: 'redirect',
      returnTo: loopback,
    })
    expect(redirect.status).toBe(500)
    const body = (await redirect.json()) as {
      error: { code: string; action: string; details: { path: string }[] }
    }
    expect(body.error).toMatchObject({ code: 'configuration_error', details: [{ path: 'returnTo' }] })
    expect(body.error.action).toContain('administrator')
    const logged = t.logs.filter((l) => l.includes('"level":"warn"') && l.includes('ALLOWED_ORIGINS'))
    expect(logged.some((l) => l.includes('http://127.0.0.1:3000'))).toBe(true)

    // A popup opened from a page on such an origin would never hear back: refused up front.
    const popup = await t.request('/v1/connections', {
      method: 'POST',
      token,
      json: { provider: 'sage' },
      headers: { origin: 'http://127.0.0.1:3000' },
    })
    expect(popup.status).toBe(500)
    expect(await code(popup)).toBe('configuration_error')
  })
})
