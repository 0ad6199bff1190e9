import { afterEach, describe, expect, it } from 'vitest'
import { SAGE_DEMO_IDS, startSageEmulator, type SageEmulator } from './index.ts'
import { apiClient, connect, clientFields, tokenRequest } from './testing.ts'

let emu: SageEmulator
afterEach(() => emu.close())

const { hartley, brightwater } = SAGE_DEMO_IDS
const statuses = async (call: () => Promise<Response>, n: number) => {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push((await call()).status)
  return out
}

describe('throttle (per business; 100/min and 2,500/day by default)', () => {
  it('defaults to the conservative v3.1 figures', async () => {
    emu = await startSageEmulator()
    const token = (await connect(emu)).access_token
    await apiClient(emu, token, hartley)('/contacts')
    expect(emu.control.throttleRemaining(hartley)).toEqual({ minute: 99, day: 2499 })
  })

  it('the call past the minute limit is 429 with the error array; another business is unaffected; the next minute is free', async () => {
    emu = await startSageEmulator({ throttle: { perMinute: 3 } })
    const token = (await connect(emu)).access_token
    const call = () => apiClient(emu, token, hartley)('/contacts')
    expect(await statuses(call, 4)).toEqual([200, 200, 200, 429])
    const refused = await call()
    expect(refused.headers.get('retry-after')).toBeNull()
    expect((await refused.json())[0]).toMatchObject({ $severity: 'error', $dataCode: 'TooManyRequests' })
    expect((await apiClient(emu, token, brightwater)('/contacts')).status).toBe(200)
    emu.control.advanceClock(60_000)
    expect((await call()).status).toBe(200)
  })

  it('the day limit holds across minutes until the day turns', async () => {
    emu = await startSageEmulator({ throttle: { perMinute: 100, perDay: 2 } })
    const call = apiClient(emu, (await connect(emu)).access_token, hartley)
    expect(await statuses(() => call('/contacts'), 3)).toEqual([200, 200, 429])
    emu.control.advanceClock(60_000)
    expect((await call('/contacts')).status).toBe(429)
    emu.control.advanceClock(86_400_000)
    // A day later the old access token is long dead: reconnect, then the business has calls again.
    const fresh = apiClient(emu, (await connect(emu)).access_token, hartley)
    expect((await fresh('/contacts')).status).toBe(200)
  })

  it('a forced throttle answers 429 for the next N calls of that business only', async () => {
    emu = await startSageEmulator()
    const token = (await connect(emu)).access_token
    emu.control.forceThrottle(2, hartley)
    expect((await apiClient(emu, token, brightwater)('/contacts')).status).toBe(200)
    expect(await statuses(() => apiClient(emu, token, hartley)('/contacts'), 3)).toEqual([429, 429, 200])
  })
})

describe('faults', () => {
  it('the next N calls answer the injected status with a Sage error body, the token endpoint included', async () => {
    emu = await startSageEmulator()
    const token = (await connect(emu)).access_token
    emu.control.injectFault({ kind: 'status', status: 503 }, 2)
    const first = await apiClient(emu, token)('/contacts')
    expect(first.status).toBe(503)
    expect((await first.json())[0]).toMatchObject({ $severity: 'error', $dataCode: 'ServiceUnavailable' })
    expect(
      (await tokenRequest(emu.url, { ...clientFields, grant_type: 'refresh_token', refresh_token: 'x' }))
        .status,
    ).toBe(503)
    expect((await apiClient(emu, token)('/contacts')).status).toBe(200)
  })

  it('a reset connection fails the fetch', async () => {
    emu = await startSageEmulator()
    const token = (await connect(emu)).access_token
    emu.control.injectFault({ kind: 'reset' })
    await expect(apiClient(emu, token)('/contacts')).rejects.toThrow()
    expect((await apiClient(emu, token)('/contacts')).status).toBe(200)
  })
})
