import { afterAll, beforeAll, beforeEach } from 'vitest'
import type { Config } from '../../server/config.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { startEmulatedProviders } from '../helpers/providers.ts'
import { listen } from '../connections/support.ts'
import type { EmulatedProvider } from '../emulators/all.ts'

/**
 * For a test file: the emulators of `providers`, and a test app on real loopback HTTP with the
 * webhook keys the emulators sign with (as npm start configures it). Every test starts with no
 * delivery, event or events job stored. Read `ctx.*` inside tests.
 */
export function useWebhookApp(providers: readonly EmulatedProvider[]) {
  const ctx = {} as {
    emu: Awaited<ReturnType<typeof startEmulatedProviders>>
    t: TestApp
    url: string
    close(): Promise<void>
  }
  beforeAll(async () => {
    ctx.emu = await startEmulatedProviders(undefined, providers)
    ctx.t = await createTestApp({ webhookKeys: ctx.emu.webhookKeys }, { providers: ctx.emu.registry })
    const server = await listen(ctx.t.app.fetch)
    ctx.url = server.url
    ctx.close = () => server.close()
  })
  beforeEach(() => clearStored(ctx.t))
  afterAll(async () => {
    await ctx.close()
    ctx.t.close()
    await ctx.emu.close()
  })
  return ctx
}

/** A test app with these webhook keys on real loopback HTTP, no emulators. */
export async function webhookApp(webhookKeys: Config['webhookKeys']) {
  const t = await createTestApp({ webhookKeys })
  const server = await listen(t.app.fetch)
  return {
    t,
    url: server.url,
    async close() {
      await server.close()
      t.close()
    },
  }
}

export async function clearStored(t: TestApp) {
  await t.db.run('DELETE FROM provider_events')
  await t.db.run('DELETE FROM webhook_deliveries')
  await t.db.run("DELETE FROM jobs WHERE kind = 'provider_events'")
}

export interface DeliveryRow {
  provider: string
  content_type: string | null
  body: string
  outcome: 'accepted' | 'malformed'
  note: string | null
  events: number
}
export interface EventRow {
  provider: string
  event_id: string
  organisation_id: string
  entity: string
  resource_id: string
  operation: string
  occurred_at: number | null
  state: string
  note: string | null
}

/** What the database holds of what providers sent, in the order it arrived. */
export function stored(t: TestApp) {
  return {
    deliveries: () =>
      t.db.all<DeliveryRow>(
        'SELECT provider, content_type, body, outcome, note, events FROM webhook_deliveries ORDER BY rowid',
      ),
    events: () =>
      t.db.all<EventRow>(
        `SELECT provider, event_id, organisation_id, entity, resource_id, operation, occurred_at, state, note
           FROM provider_events ORDER BY rowid`,
      ),
    /** The queued jobs that process events, as { provider, organisationId } and their dedupe key. */
    async jobs() {
      const rows = await t.db.all<{ payload: string; state: string; dedupe_key: string }>(
        "SELECT payload, state, dedupe_key FROM jobs WHERE kind = 'provider_events' ORDER BY rowid",
      )
      return rows.map((r) => ({
        ...(JSON.parse(r.payload) as object),
        state: r.state,
        dedupeKey: r.dedupe_key,
      }))
    },
  }
}

/** An organisation's events job waiting to run, as `stored(t).jobs()` lists it: one per organisation. */
export const queuedEventsJob = (provider: string, organisationId: string) => ({
  provider,
  organisationId,
  state: 'queued',
  dedupeKey: `events:${provider}:${organisationId}`,
})

/** Waits (up to 5 s) until `check` holds: for what the emulators deliver on their own. */
export async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 5000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A POST as a provider sends it: no session, no Origin, the signature header if given. */
export async function deliver(url: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : Buffer.from(body),
  })
  return { status: res.status, text: await res.text(), headers: res.headers }
}
