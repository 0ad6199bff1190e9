import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { XeroEmulator } from './index.ts'
import { startXeroEmulator } from './index.ts'
import type { Tokens } from './testing.ts'
import { api, basic, connect, tokenRequest } from './testing.ts'

const MINUTE = 60_000
let emu: XeroEmulator
let tokens: Tokens
beforeEach(async () => {
  emu = await startXeroEmulator()
  tokens = await connect(emu)
})
afterEach(() => emu.close())

const refresh = (rt: string) => tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: rt })

describe('refresh token rotation (PROVIDERS 1.3)', () => {
  it('returns a new refresh token and access token on every refresh', async () => {
    const first = await refresh(tokens.refresh_token)
    expect(first.status).toBe(200)
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token)
    expect(first.body.access_token).not.toBe(tokens.access_token)
    expect((await refresh(first.body.refresh_token!)).status).toBe(200)
  })

  it('keeps the old refresh token usable for 30 minutes after its first use, then invalid_grant', async () => {
    expect((await refresh(tokens.refresh_token)).status).toBe(200)
    emu.control.advanceClock(29 * MINUTE)
    expect((await refresh(tokens.refresh_token)).status).toBe(200)
    emu.control.advanceClock(2 * MINUTE)
    expect(await refresh(tokens.refresh_token)).toEqual({ status: 400, body: { error: 'invalid_grant' } })
  })

  it('lets a refresh token that was never used die after 60 days', async () => {
    emu.control.advanceClock(59 * 24 * 60 * MINUTE)
    const kept = await refresh(tokens.refresh_token)
    expect(kept.status).toBe(200)
    emu.control.advanceClock(60 * 24 * 60 * MINUTE + MINUTE)
    expect((await refresh(kept.body.refresh_token!)).body).toEqual({ error: 'invalid_grant' })
  })

  it('survives a lost refresh response: the tokens were issued, and the old refresh token still works in grace', async () => {
    emu.control.dropTokenResponses(1)
    await expect(refresh(tokens.refresh_token)).rejects.toThrow()
    const retry = await refresh(tokens.refresh_token)
    expect(retry.status).toBe(200)
  })

  it('refuses a refresh token presented by another client', async () => {
    const res = await tokenRequest(
      emu,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
      basic('OTHER', 'x'),
    )
    expect(res.body).toEqual({ error: 'invalid_client' })
  })
})

describe('access token lifetime', () => {
  it('answers 401 TokenExpired after 30 minutes, and works again after a refresh', async () => {
    expect((await api(emu, tokens.access_token, 'GET', '/Organisation')).status).toBe(200)
    emu.control.advanceClock(30 * MINUTE)
    const expired = await api(emu, tokens.access_token, 'GET', '/Organisation')
    expect(expired.status).toBe(401)
    expect(expired.body).toMatchObject({ Type: null, Title: 'Unauthorized', Status: 401 })
    expect(expired.body.Detail).toMatch(/^TokenExpired: token expired at \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/)
    const fresh = await refresh(tokens.refresh_token)
    expect((await api(emu, fresh.body.access_token!, 'GET', '/Organisation')).status).toBe(200)
  })

  it('expires every access token on demand (control API)', async () => {
    emu.control.expireAccessTokens()
    expect((await api(emu, tokens.access_token, 'GET', '/Organisation')).status).toBe(401)
  })
})

describe('revocation', () => {
  it('revokes the grant: refresh is invalid_grant, calls are 401 and the connections are gone', async () => {
    const res = await fetch(`${emu.url}/connect/revocation`, {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refresh_token }),
    })
    expect(res.status).toBe(200)
    expect((await refresh(tokens.refresh_token)).body).toEqual({ error: 'invalid_grant' })
    expect((await api(emu, tokens.access_token, 'GET', '/Organisation')).status).toBe(401)
    expect(emu.control.connections()).toEqual([])
  })

  it('revoking all grants from the Xero side turns the next refresh into invalid_grant', async () => {
    emu.control.revokeAllGrants()
    expect((await refresh(tokens.refresh_token)).body).toEqual({ error: 'invalid_grant' })
  })
})
