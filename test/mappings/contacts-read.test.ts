import { describe, expect, test } from 'vitest'
import { ContactPageSchema, type ContactPageView } from '../../shared/mappings.ts'
import type { ProviderId } from '../../shared/providers.ts'
import { seedContact } from '../emulators/xero/sync-testing.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { errorOf, mappingTenant } from './support.ts'

/**
 * The host data API's read of the organisation's customers, for an import, on each emulator: 100 a
 * page in the provider's order, every active customer exactly once across the pages, kept with its
 * age until a refresh, bad input refused in the error model.
 */
const ctx = useEmulatedApp(['xero', 'quickbooks', 'sage'])

type Emulated = 'xero' | 'quickbooks' | 'sage'
/** The ids of the organisation's active customers (Xero: its active contacts), as the emulator holds them. */
const activeAt: Record<Emulated, (org: string) => string[]> = {
  xero: (org) =>
    [...ctx.emu.handles.xero!.control.organisation(org).contacts.values()]
      .filter((c) => c.ContactStatus === 'ACTIVE')
      .map((c) => c.ContactID),
  quickbooks: (org) =>
    ctx.emu.handles
      .quickbooks!.control.company(org)
      .list('Customer')
      .filter((c) => c.Active !== false)
      .map((c) => String(c.Id)),
  sage: (org) =>
    [...ctx.emu.handles.sage!.control.business(org).contacts.values()]
      .filter((c) => c.contactTypeIds.includes('CUSTOMER') && c.deletedAt === null)
      .map((c) => c.id),
}
/** Adds `n` active customers at the emulator. */
const seed: Record<Emulated, (org: string, n: number) => void> = {
  xero: (org, n) => {
    const store = ctx.emu.handles.xero!.control.organisation(org)
    for (let i = 0; i < n; i++)
      seedContact(store, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, `Import ${i}`)
  },
  quickbooks: (org, n) => {
    for (let i = 0; i < n; i++)
      ctx.emu.handles.quickbooks!.control.write(org, 'customer', { DisplayName: `Import ${i}` })
  },
  sage: (org, n) => {
    const business = ctx.emu.handles.sage!.control.business(org)
    const model = [...business.contacts.values()].find((c) => c.contactTypeIds.includes('CUSTOMER'))!
    for (let i = 0; i < n; i++) {
      const id = `import-${i}`
      business.contacts.set(id, { ...model, id, name: `Import ${i}`, reference: `IMP${i}`, email: null })
    }
  },
}

describe.each(['xero', 'quickbooks', 'sage'] as const)('%s', (provider: Emulated & ProviderId) => {
  test('every active customer once across pages of 100, kept with its age until a refresh', async () => {
    const m = await mappingTenant(ctx.t, provider, `contacts-read-${provider}`)
    const path = `/v1/tenants/contacts-read-${provider}/accounting/contacts`
    const page = async (n: number): Promise<ContactPageView> => {
      const res = await m.call('GET', `${path}?page=${n}`, m.key)
      expect(res.status, await res.clone().text()).toBe(200)
      return ContactPageSchema.parse(await res.json())
    }
    const first = await page(1)
    expect(first).toMatchObject({ provider, page: 1, hasMore: false })
    expect(first.contacts.map((c) => c.id).sort()).toEqual(activeAt[provider](m.organisationId).sort())

    // More than a page now, but the kept page answers until a refresh.
    seed[provider](m.organisationId, 150)
    ctx.t.advance(1000)
    expect(await page(1)).toEqual(first)
    const refreshed = await m.call('POST', `${path}/refresh`, m.key)
    expect(refreshed.status).toBe(200)
    const fresh = ContactPageSchema.parse(await refreshed.json())
    expect(fresh).toMatchObject({ page: 1, hasMore: true })
    expect(fresh.contacts).toHaveLength(100)
    expect(Date.parse(fresh.fetchedAt)).toBeGreaterThan(Date.parse(first.fetchedAt))
    const all = [...fresh.contacts]
    for (let n = 2; ; n++) {
      const next = await page(n)
      all.push(...next.contacts)
      if (!next.hasMore) break
      expect(n).toBeLessThan(5)
    }
    const ids = all.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.sort()).toEqual(activeAt[provider](m.organisationId).sort())
    expect(all.find((c) => c.name === 'Import 7')).toMatchObject({ email: null })
  })
})

test('bad input and callers are answered in the error model', async () => {
  const m = await mappingTenant(ctx.t, 'xero', 'contacts-read-bad')
  const path = '/v1/tenants/contacts-read-bad/accounting/contacts'
  for (const bad of ['0', '-1', 'two', '1.5']) {
    const res = await m.call('GET', `${path}?page=${bad}`, m.key)
    expect(res.status, bad).toBe(400)
    expect((await errorOf(res)).code).toBe('validation_failed')
  }
  expect((await m.call('GET', path, m.member)).status).toBe(401)
  const unknown = await m.call('GET', '/v1/tenants/no-such-tenant/accounting/contacts', m.key)
  expect(unknown.status).toBe(404)
  // A tenant with nobody connected yet.
  await ctx.t.request('/v1/tenants/contacts-read-none', {
    method: 'PUT',
    token: m.key,
    json: { name: 'None Ltd' },
  })
  const none = await m.call('GET', '/v1/tenants/contacts-read-none/accounting/contacts', m.key)
  expect(none.status).toBe(409)
  expect((await errorOf(none)).code).toBe('no_connection')
})
