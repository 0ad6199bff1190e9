import { serve } from '@hono/node-server'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { THROTTLE } from '../../server/auth/login-throttle.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

/**
 * The throttles under real concurrent requests: a real HTTP server, many fetches in flight at
 * once. The app's clock is injected, so nothing here waits in real time.
 */
let t: TestApp
let server: Server
let base: string
beforeAll(async () => {
  t = await createTestApp({ trustProxy: true }) // X-Forwarded-For as one appending proxy writes it
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server))
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  t.close()
})

const post = (path: string, json: unknown, forwardedFor: string) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify(json),
  })
const signUp = (email: string, forwardedFor: string) =>
  post(
    '/v1/accounts',
    { email, password: 'the owner’s password', name: 'Pat', organisation: 'Pat’s Plumbing' },
    forwardedFor,
  )
const signIn = (email: string, password: string, forwardedFor: string) =>
  post('/v1/sessions/password', { email, password }, forwardedFor)

/** How many answers had each status, e.g. { 401: 5, 429: 36 }. */
async function tally(responses: Promise<Response>[]) {
  const counts: Record<number, number> = {}
  for (const res of await Promise.all(responses)) {
    await res.body?.cancel()
    counts[res.status] = (counts[res.status] ?? 0) + 1
  }
  return counts
}
const times = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i))

describe('throttles under concurrent requests', () => {
  test('41 concurrent sign-ins for one account from one address: at most the limit are evaluated', async () => {
    expect((await signUp('target@example.com', '198.18.1.1')).status).toBe(201)
    const attempts = times(41, (i) =>
      signIn('target@example.com', i === 20 ? 'the owner’s password' : `guess ${i}`, '203.0.113.66'),
    )
    const counts = await tally(attempts)
    const evaluated = (counts[401] ?? 0) + (counts[201] ?? 0)
    expect(counts[401] ?? 0).toBeLessThanOrEqual(THROTTLE.pair.limit)
    expect(evaluated).toBeLessThanOrEqual(THROTTLE.pair.limit + (counts[201] ?? 0))
    expect(counts[429]).toBe(41 - evaluated)

    // and 41 more wrong ones now: every one refused, none evaluated
    expect(await tally(times(41, (i) => signIn('target@example.com', `more ${i}`, '203.0.113.66')))).toEqual({
      429: 41,
    })
  })

  test('30 concurrent sign-ups from one address: at most the hourly limit succeed', async () => {
    const counts = await tally(times(30, (i) => signUp(`rush${i}@example.com`, '198.51.100.30')))
    expect(counts).toEqual({ 201: THROTTLE.signup.limit, 429: 30 - THROTTLE.signup.limit })
  })

  test('the owner signs in from their own address while an attacker hammers the account from another', async () => {
    expect((await signUp('owner@example.com', '198.18.1.2')).status).toBe(201)
    for (let wave = 0; wave < 3; wave++) {
      const attack = times(41, (i) => signIn('owner@example.com', `guess ${wave}.${i}`, '203.0.113.99'))
      const owner = signIn('owner@example.com', 'the owner’s password', `198.51.100.${40 + wave}`)
      const counts = await tally(attack)
      expect(counts[401]).toBeLessThanOrEqual(THROTTLE.pair.limit)
      expect((await owner).status).toBe(201)
      t.advance(THROTTLE.pair.windowMs) // the attacker's window ends: a new wave of guesses
    }
  })

  test('a client cannot escape the per-address throttle by writing its own X-Forwarded-For entries', async () => {
    // an appending proxy adds the address it saw (198.51.100.50) after whatever the client sent
    const counts = await tally(
      times(30, (i) => signUp(`spoof${i}@example.com`, `10.9.8.${i}, 198.51.100.50`)),
    )
    expect(counts).toEqual({ 201: THROTTLE.signup.limit, 429: 30 - THROTTLE.signup.limit })
  })
})
