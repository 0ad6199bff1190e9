import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { migrate } from '../../server/db/migrate.ts'
import { toOrganisation, type ConnectionRow } from '../../server/connections/token-store.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { DEMO_TENANT_IDS } from '../emulators/xero/index.ts'
import { startEmulatedProviders } from '../helpers/providers.ts'
import { connect, status } from './flow.ts'

// Migration 0020 moves what only one provider needs under one opaque `meta`. A database at the
// schema before it, holding what the code before it wrote (a Xero connection with its connection
// id, a QuickBooks one whose realm is its organisation id, and a Xero consent still waiting for its
// pick), keeps working after it: reads go through the adapters and disconnects reach the provider.
const MIGRATIONS = join(import.meta.dirname, '..', '..', 'server', 'db', 'migrations')
let emu: Awaited<ReturnType<typeof startEmulatedProviders>>
let t: TestApp
let old: string
beforeAll(async () => {
  old = mkdtempSync(join(tmpdir(), 'll-old-schema-'))
  // The schema before 0020, with the event log the code of today writes to as it connects (a table
  // of its own, which no migration before it touches).
  for (const name of readdirSync(MIGRATIONS).filter((n) => n < '0020_' || n.startsWith('0029_')))
    copyFileSync(join(MIGRATIONS, name), join(old, name))
  emu = await startEmulatedProviders(undefined, ['xero', 'quickbooks'])
  t = await createTestApp({}, { providers: emu.registry, migrations: old })
})
afterAll(async () => {
  t.close()
  await emu.close()
  rmSync(old, { recursive: true, force: true })
})

const row = async (id: string) =>
  (await t.db.get<ConnectionRow>('SELECT * FROM connections WHERE id = ?', [id]))!

test('connections and an open consent from before 0020 read, pick and disconnect through the adapters after it', async () => {
  expect(
    await t.db.get("SELECT 1 AS applied FROM schema_migrations WHERE name LIKE '0020_%'"),
  ).toBeUndefined()
  const xeroToken = await t.session({ tenant: 'old-xero', sub: 'a' })
  const qboToken = await t.session({ tenant: 'old-qbo', sub: 'a' })
  const pickToken = await t.session({ tenant: 'old-pick', sub: 'a' })
  const xero = (await connect(t, xeroToken, 'xero', { organisations: [DEMO_TENANT_IDS.au] })).status
    .connection!
  const qbo = (await connect(t, qboToken, 'quickbooks')).status.connection!
  const offered = [DEMO_TENANT_IDS.uk, DEMO_TENANT_IDS.us]
  const pending = (await connect(t, pickToken, 'xero', { organisations: offered, pick: false })).status
    .pendingChoice!

  // What the code before 0020 wrote: Xero's connection id in provider_meta, nothing for QuickBooks;
  // the open consent's offered organisations with the connection id beside them, the grant's
  // authEventId at the top.
  const xeroConnectionId = JSON.parse((await row(xero.id)).provider_meta!) as { connectionId: string }
  expect(Object.keys(xeroConnectionId)).toEqual(['connectionId'])
  expect((await row(qbo.id)).provider_meta).toBeNull()
  const attempt = (await t.db.get<{ pending_organisations: string; pending_grant: string }>(
    'SELECT pending_organisations, pending_grant FROM oauth_attempts WHERE id = ?',
    [pending.attemptId],
  ))!
  const offeredNew = JSON.parse(attempt.pending_organisations) as {
    id: string
    name: string
    meta: { connectionId: string }
  }[]
  const offeredOld = offeredNew.map(({ id, name, meta }) => ({ id, name, connectionId: meta.connectionId }))
  const grantOld = (JSON.parse(attempt.pending_grant) as { meta: Record<string, string> }).meta
  await t.db.run('UPDATE oauth_attempts SET pending_organisations = ?, pending_grant = ? WHERE id = ?', [
    JSON.stringify(offeredOld),
    JSON.stringify(grantOld),
    pending.attemptId,
  ])

  // 0020 and whatever came after it (but the event log, already there).
  expect(await migrate(t.db)).toEqual(
    readdirSync(MIGRATIONS)
      .filter((n) => n >= '0020_' && !n.startsWith('0029_') && n.endsWith('.sql'))
      .sort(),
  )

  // The open consent: migrated under meta, and its pick connects with the organisation's connection id.
  const migrated = (await t.db.get<{ pending_organisations: string; pending_grant: string }>(
    'SELECT pending_organisations, pending_grant FROM oauth_attempts WHERE id = ?',
    [pending.attemptId],
  ))!
  expect(JSON.parse(migrated.pending_organisations)).toEqual(offeredNew)
  expect(JSON.parse(migrated.pending_grant)).toEqual({ meta: grantOld })
  const chosen = await t.request('/v1/connections/choose', {
    method: 'POST',
    token: pickToken,
    json: { attemptId: pending.attemptId, organisationId: offered[1] },
  })
  expect(chosen.status).toBe(200)
  const picked = (await status(t, pickToken)).connection!
  expect(toOrganisation(await row(picked.id)).meta).toEqual(offeredNew.find((o) => o.id === offered[1])!.meta)

  // Reads through the adapters: each connection's organisation check answers.
  for (const id of [xero.id, qbo.id, picked.id]) {
    const r = await row(id)
    const adapter = t.services.providers.get(r.provider)!
    await t.services.connections.tokens.withAccessToken(id, (access) =>
      adapter.organisations.check(access, toOrganisation(r)),
    )
  }

  // Disconnects reach the provider: Xero DELETEs the very connection the old row named.
  const xeroDeletes = () =>
    emu.handles
      .xero!.control.requests()
      .filter((r) => r.method === 'DELETE')
      .map((r) => r.path)
  for (const token of [xeroToken, pickToken, qboToken])
    expect((await t.request('/v1/connection', { method: 'DELETE', token })).status).toBe(204)
  expect(xeroDeletes()).toEqual(
    expect.arrayContaining([
      `/connections/${xeroConnectionId.connectionId}`,
      `/connections/${offeredNew.find((o) => o.id === offered[1])!.meta.connectionId}`,
    ]),
  )
  const qboRevokes = emu.handles.quickbooks!.control.requests().filter((r) => r.path.includes('revoke'))
  expect(qboRevokes.map((r) => r.status)).toEqual([200])
})
