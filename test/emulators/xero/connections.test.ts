import { decodeJwt } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { XeroEmulator } from './index.ts'
import { startXeroEmulator } from './index.ts'
import { AU, UK, US, api, connect, tokenRequest } from './testing.ts'

let emu: XeroEmulator
beforeEach(async () => {
  emu = await startXeroEmulator()
})
afterEach(() => emu.close())

const connections = async (token: string, query = '') => {
  const res = await fetch(`${emu.url}/connections${query}`, { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, body: (await res.json()) as Record<string, string>[] }
}

describe('/connections ([spec] xero-identity.yaml)', () => {
  it('lists the connected tenants with Xero connection fields', async () => {
    const tokens = await connect(emu, { tenants: [UK, AU] })
    const { status, body } = await connections(tokens.access_token)
    expect(status).toBe(200)
    expect(body.map((c) => c.tenantId).sort()).toEqual([UK, AU].sort())
    expect(body[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      authEventId: decodeJwt(tokens.access_token).authentication_event_id,
      tenantId: expect.any(String),
      tenantType: 'ORGANISATION',
      tenantName: expect.any(String),
      createdDateUtc: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$/),
      updatedDateUtc: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$/),
    })
  })

  it('filters by authEventId so a second consent shows only what it added', async () => {
    await connect(emu, { tenants: [UK] })
    const second = await connect(emu, { tenants: [US] })
    const authEventId = decodeJwt(second.access_token).authentication_event_id as string
    expect((await connections(second.access_token)).body).toHaveLength(2)
    const filtered = await connections(second.access_token, `?authEventId=${authEventId}`)
    expect(filtered.body.map((c) => c.tenantId)).toEqual([US])
  })

  it('deletes one connection with 204; calls for that tenant then answer 403, the other tenant is untouched', async () => {
    const tokens = await connect(emu, { tenants: [UK, US] })
    const target = (await connections(tokens.access_token)).body.find((c) => c.tenantId === US)!
    const res = await fetch(`${emu.url}/connections/${target.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    })
    expect(res.status).toBe(204)
    expect((await api(emu, tokens.access_token, 'GET', '/Organisation', { tenant: US })).status).toBe(403)
    expect((await api(emu, tokens.access_token, 'GET', '/Organisation', { tenant: UK })).status).toBe(200)
    const again = await fetch(`${emu.url}/connections/${target.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    })
    expect(again.status).toBe(404)
  })

  it('answers 401 without a valid token', async () => {
    expect((await connections('nope')).status).toBe(401)
  })
})

describe('tenant header and Xero-side disconnect (E-X4)', () => {
  it('answers 403 AuthenticationUnsuccessful without xero-tenant-id or for an unconnected tenant', async () => {
    const tokens = await connect(emu, { tenants: [UK] })
    const forbidden = { Type: null, Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' }
    expect(await api(emu, tokens.access_token, 'GET', '/Organisation', { tenant: null })).toMatchObject({
      status: 403,
      body: forbidden,
    })
    expect((await api(emu, tokens.access_token, 'GET', '/Organisation', { tenant: AU })).body).toEqual(
      forbidden,
    )
  })

  it('answers 401 AuthenticationUnsuccessful for an unknown token', async () => {
    const res = await api(emu, 'not-a-token', 'GET', '/Organisation')
    expect(res.status).toBe(401)
    expect(res.body).toEqual({
      Type: null,
      Title: 'Unauthorized',
      Status: 401,
      Detail: 'AuthenticationUnsuccessful',
    })
  })

  it('keeps refresh working after a tenant is disconnected in Xero, while that tenant answers 403', async () => {
    const tokens = await connect(emu, { tenants: [UK, US] })
    expect(emu.control.disconnectTenant(US)).toBe(1)
    const refreshed = await tokenRequest(emu, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    })
    expect(refreshed.status).toBe(200)
    expect(
      (await api(emu, refreshed.body.access_token!, 'GET', '/Organisation', { tenant: US })).status,
    ).toBe(403)
    expect(
      (await api(emu, refreshed.body.access_token!, 'GET', '/Organisation', { tenant: UK })).status,
    ).toBe(200)
  })

  it('answers 401 AuthorizationUnsuccessful when the token lacks the scope the operation needs', async () => {
    const tokens = await connect(emu, { tenants: [UK], scope: 'offline_access accounting.contacts' })
    const res = await api(emu, tokens.access_token, 'GET', '/Invoices')
    expect(res).toMatchObject({
      status: 401,
      body: { Title: 'Unauthorized', Detail: 'AuthorizationUnsuccessful' },
    })
    expect((await api(emu, tokens.access_token, 'GET', '/Contacts')).status).toBe(200)
  })

  it('accepts the granular accounting.invoices scope for invoices', async () => {
    const tokens = await connect(emu, { tenants: [UK], scope: 'offline_access accounting.invoices.read' })
    expect((await api(emu, tokens.access_token, 'GET', '/Invoices')).status).toBe(200)
    expect((await api(emu, tokens.access_token, 'PUT', '/Invoices', { body: { Invoices: [] } })).status).toBe(
      401,
    )
  })
})
