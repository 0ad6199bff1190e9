import { expect } from 'vitest'
import { CustomerSchema } from '../../shared/api/customers.ts'
import { BulkPreviewSchema, BulkRunSchema, type BulkKind, type BulkRun } from '../../shared/bulk.ts'
import type { ProviderId } from '../../shared/providers.ts'
import type { TestApp } from '../helpers/app.ts'
import { mappingTenant } from '../mappings/support.ts'

/** The one category every bulk test invoice uses; each provider's proposal maps it (QuickBooks: its item). */
const CATEGORY = 'Design'

/**
 * A tenant on one provider's emulator for bulk runs (the mapping tests' tenant), auto-sync off (so sent
 * invoices wait for the run), the provider's proposed mappings applied as an admin would, and the
 * bulk routes as the widget calls them.
 */
export async function bulkTenant(t: TestApp, provider: ProviderId, tenant: string) {
  // The mapping routes' tenant (its admin, member, connection and one customer of its own).
  const base = await mappingTenant(t, provider, tenant)
  const { admin, member, key, call } = base
  await t.services.db.run(
    'INSERT INTO tenant_settings (tenant_id, auto_sync_on_send, updated_at) VALUES (?, 0, ?)',
    [tenant, t.now()],
  )
  let numbers = 0

  const tenantApi = {
    member,
    admin,
    connectionId: base.connectionId,
    organisationId: base.organisationId,
    call,
    async customer(name: string, email: string | null = null) {
      const res = await call('POST', `/v1/tenants/${tenant}/customers`, key, {
        name,
        ...(email ? { email } : {}),
      })
      expect(res.status, await res.clone().text()).toBe(201)
      return ((await res.json()) as { id: string }).id
    },
    /** The customer as the host reads it (with its sync state), after `change` if one is given. */
    async customerAnswer(id: string, change?: Record<string, unknown>) {
      const path = `/v1/tenants/${tenant}/customers/${id}`
      const res = change ? await call('PATCH', path, key, change) : await call('GET', path, key)
      expect(res.status, await res.clone().text()).toBe(200)
      return CustomerSchema.parse(await res.json())
    },
    /** A sent invoice of one line for this customer; answers its id and number. */
    async invoice(customerId: string, currency: string, tax: { code: string; rate: string } | null = null) {
      const number = `${tenant.toUpperCase()}-${String(++numbers).padStart(4, '0')}`
      const res = await call('POST', `/v1/tenants/${tenant}/invoices`, key, {
        number,
        customerId,
        currency,
        issueDate: '2026-11-01',
        dueDate: '2026-11-30',
        status: 'sent',
        lines: [
          {
            description: 'Layout',
            quantity: '1',
            unitPrice: '120.00',
            category: CATEGORY,
            ...(tax ? { taxCode: tax.code, taxRate: tax.rate } : {}),
          },
        ],
      })
      expect(res.status, await res.clone().text()).toBe(201)
      return { id: ((await res.json()) as { id: string }).id, number }
    },
    /** The proposals for the default account, the category and the tax codes, applied by the admin. */
    async mapProposals() {
      const view = await base.view(admin)
      const mappings = view.entries
        .filter(
          (e) => e.proposal && (e.kind === 'default_account' || e.kind === 'tax_rate' || e.key === CATEGORY),
        )
        .map((e) => ({ kind: e.kind, key: e.key, ref: e.proposal!.ref }))
      const put = await base.put(mappings)
      expect(put.status, await put.clone().text()).toBe(200)
    },
    async preview(kind: BulkKind) {
      const res = await call('GET', `/v1/sync/bulk/preview?kind=${kind}`, member)
      expect(res.status, await res.clone().text()).toBe(200)
      return BulkPreviewSchema.parse(await res.json())
    },
    async start(kind: BulkKind): Promise<BulkRun> {
      const res = await call('POST', '/v1/sync/bulk', member, { kind })
      expect(res.status, await res.clone().text()).toBe(202)
      return BulkRunSchema.parse(await res.json())
    },
    async run(id: string): Promise<BulkRun> {
      const res = await call('GET', `/v1/sync/bulk/${id}`, member)
      expect(res.status, await res.clone().text()).toBe(200)
      return BulkRunSchema.parse(await res.json())
    },
    /** Links of this connection for these records: record id -> provider id. */
    async links(kind: 'invoice' | 'customer') {
      const rows = await t.services.db.all<{ record_id: string; provider_id: string }>(
        'SELECT record_id, provider_id FROM sync_links WHERE connection_id = ? AND record_kind = ?',
        [base.connectionId, kind],
      )
      return new Map(rows.map((r) => [r.record_id, r.provider_id]))
    },
  }
  return tenantApi
}

/**
 * Reads a server-sent event stream the way EventSource does: events split on a blank line, `event:`
 * and `data:` fields (several data lines joined by newlines), comments ignored.
 */
export async function readEvents(res: Response): Promise<{ event: string; data: string }[]> {
  const events: { event: string; data: string }[] = []
  const decoder = new TextDecoder()
  let buffer = ''
  const flush = (block: string) => {
    let event = 'message'
    const data: string[] = []
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':') || line === '') continue
      const [field, ...rest] = line.split(':')
      const value = rest.join(':').replace(/^ /, '')
      if (field === 'event') event = value
      if (field === 'data') data.push(value)
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') })
  }
  for await (const chunk of res.body!) {
    buffer += decoder.decode(chunk, { stream: true })
    let end: number
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      flush(buffer.slice(0, end))
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '')
    }
  }
  if (buffer.trim()) flush(buffer)
  return events
}
