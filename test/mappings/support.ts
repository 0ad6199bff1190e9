import { expect } from 'vitest'
import {
  ChartSchema,
  MappingsViewSchema,
  type MappingEntry,
  type MappingKind,
} from '../../shared/mappings.ts'
import type { ProviderId } from '../../shared/providers.ts'
import { connected } from '../connections/support.ts'
import type { TestApp } from '../helpers/app.ts'

/**
 * A tenant connected to one provider's emulator, with an admin and a member session, a customer,
 * and the mapping routes as the widget calls them.
 */
export async function mappingTenant(t: TestApp, provider: ProviderId, tenant: string) {
  const admin = await t.session({ tenant, role: 'admin', sub: `${tenant}-admin` })
  const member = await t.session({ tenant, role: 'member', sub: `${tenant}-member` })
  const connection = await connected(t, admin, provider)
  const key = await t.apiKey(tenant)
  const customer = await t.request(`/v1/tenants/${tenant}/customers`, {
    method: 'POST',
    token: key,
    json: { name: `Customer of ${tenant}`, email: `accounts@${tenant}.example` },
  })
  const customerId = ((await customer.json()) as { id: string }).id
  const organisationId = (await t.services.db.get<{ organisation_id: string }>(
    'SELECT organisation_id FROM connections WHERE id = ?',
    [connection.id],
  ))!.organisation_id

  const call = (method: string, path: string, token: string, json?: unknown) =>
    t.request(path, { method, token, ...(json === undefined ? {} : { json }) })
  return {
    admin,
    member,
    key,
    connectionId: connection.id,
    organisationId,
    call,
    async view(token = member) {
      const res = await call('GET', '/v1/mappings', token)
      expect(res.status, await res.clone().text()).toBe(200)
      return MappingsViewSchema.parse(await res.json())
    },
    async chart(options: { refresh?: boolean } = {}) {
      const res = options.refresh
        ? await call('POST', '/v1/mappings/chart/refresh', admin)
        : await call('GET', '/v1/mappings/chart', member)
      expect(res.status, await res.clone().text()).toBe(200)
      return ChartSchema.parse(await res.json())
    },
    put: (mappings: { kind: MappingKind; key: string; ref: string | null }[], token = admin) =>
      call('PUT', '/v1/mappings', token, { mappings }),
    /** An invoice of the tenant with these lines (a draft unless `status` says otherwise). */
    async invoice(
      number: string,
      lines: { category: string; taxCode?: string; taxRate?: string; unitPrice?: string }[],
      currency: string,
      status?: 'sent',
    ) {
      const res = await t.request(`/v1/tenants/${tenant}/invoices`, {
        method: 'POST',
        token: key,
        json: {
          number,
          customerId,
          currency,
          issueDate: '2026-11-01',
          dueDate: '2026-11-30',
          ...(status ? { status } : {}),
          lines: lines.map((l, i) => ({
            description: `Line ${i + 1}`,
            quantity: '1',
            unitPrice: l.unitPrice ?? '100.00',
            category: l.category,
            ...(l.taxCode ? { taxCode: l.taxCode, taxRate: l.taxRate } : {}),
          })),
        },
      })
      expect(res.status, await res.clone().text()).toBe(201)
      return ((await res.json()) as { id: string }).id
    },
  }
}

export function entryOf(view: { entries: MappingEntry[] }, kind: MappingKind, key: string): MappingEntry {
  const found = view.entries.find((e) => e.kind === kind && e.key === key)
  if (!found) throw new Error(`no ${kind} entry for ${key}`)
  return found
}

/** The record's last sync failure, as the engine stored it. */
export async function lastFailure(t: TestApp, recordId: string) {
  const row = await t.services.db.get<{ error: string }>(
    'SELECT error FROM sync_errors WHERE record_id = ?',
    [recordId],
  )
  return row ? (JSON.parse(row.error) as { code: string; message: string }) : null
}

export async function errorOf(res: Response) {
  return (
    (await res.json()) as {
      error: { code: string; message: string; details: { path: string; message: string }[] }
    }
  ).error
}
