import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CONSENT_LIMITS } from '../../server/auth/oauth-state.ts'
import type { TestApp } from '../helpers/app.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { listen, secondInstance } from './support.ts'

// Starting consents is bounded, counted by the insert itself: real concurrent requests against two
// BFF instances on one database file (two processes' worth of connections), never one at a time.
const ctx = useEmulatedApp(['quickbooks'])
let t: TestApp
let servers: Awaited<ReturnType<typeof listen>>[]
let other: ReturnType<typeof secondInstance>
beforeAll(async () => {
  t = ctx.t
  other = secondInstance(t, ctx.emu.registry)
  servers = [await listen(t.app.fetch), await listen(other.app.fetch)]
})
afterAll(async () => {
  for (const s of servers) await s.close()
  other.close()
})

let n = 0
/** `count` starts at once, alternating between the two instances. */
function starts(tokens: string[], count: number) {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(`${servers[i % 2]!.url}/v1/connections`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tokens[i % tokens.length]}`,
        },
        body: JSON.stringify({ provider: 'quickbooks' }),
      }),
    ),
  )
}

async function tally(responses: Response[]) {
  const refused = responses.filter((r) => r.status === 429)
  const codes = await Promise.all(
    refused.map(async (r) => ((await r.json()) as { error: { code: string } }).error.code),
  )
  return {
    started: responses.filter((r) => r.status === 201).length,
    refused: refused.length,
    codes: new Set(codes),
    retryAfter: new Set(refused.map((r) => r.headers.get('retry-after'))),
  }
}

const rows = async (column: 'tenant_id' | 'session_id', value: string) =>
  (await t.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM oauth_attempts WHERE ${column} = ?`, [value]))!.n

describe('starting consents is rate limited', () => {
  test('one session: 30 concurrent starts, 5 stored, the rest consent_rate_limited with Retry-After', async () => {
    const token = await t.session({ tenant: `limits-${++n}`, sub: 'a' })
    const result = await tally(await starts([token], 30))
    expect(result).toEqual({
      started: CONSENT_LIMITS.session.limit,
      refused: 30 - CONSENT_LIMITS.session.limit,
      codes: new Set(['consent_rate_limited']),
      // The test clock stands still: the first start leaves the one-minute window a minute from now.
      retryAfter: new Set([String(CONSENT_LIMITS.session.windowMs / 1000)]),
    })
    expect(await rows('session_id', token.split('.')[0]!)).toBe(CONSENT_LIMITS.session.limit)

    t.advance(CONSENT_LIMITS.session.windowMs)
    expect((await tally(await starts([token], 1))).started).toBe(1) // the window moved on
  })

  test('one tenant: 40 concurrent starts from 8 sessions, 10 open consents at most', async () => {
    const tenant = `limits-${++n}`
    const tokens = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.session({ tenant, sub: `admin-${i}` })),
    )
    const result = await tally(await starts(tokens, 40))
    expect(result).toEqual({
      started: CONSENT_LIMITS.tenant.limit,
      refused: 40 - CONSENT_LIMITS.tenant.limit,
      codes: new Set(['consent_rate_limited']),
      retryAfter: new Set([String(CONSENT_LIMITS.tenant.windowMs / 1000)]),
    })
    expect(await rows('tenant_id', tenant)).toBe(CONSENT_LIMITS.tenant.limit)
    // Another tenant is not held back by this one.
    const elsewhere = await t.session({ tenant: `limits-${++n}`, sub: 'b' })
    expect((await tally(await starts([elsewhere], 1))).started).toBe(1)
  })
})
