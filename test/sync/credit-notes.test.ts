import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CreditNoteSchema } from '../../shared/api/credit-notes.ts'
import { InvoiceSchema } from '../../shared/api/invoices.ts'
import { toMinor } from '../../shared/money.ts'
import type { ProviderId } from '../../shared/providers.ts'
import type { Worker } from '../../server/sync/worker.ts'
import { bulkTenant, type BulkTenant } from '../fixtures/bulk-tenant.ts'
import { providerAmountDue } from '../fixtures/provider-payments.ts'
import { useEmulatedApp } from '../helpers/providers.ts'

/**
 * Credit notes through the engine on each provider's emulator: sent in the app (auto-sync on), each
 * is posted once with its lines and tax and set once against the invoice it credits (the invoice
 * posted first), so the amount due there drops by its total; one with no invoice is only posted; a
 * void one is voided there (QuickBooks, which has no void, deletes it); an allocation the provider
 * refuses is an error on the credit note with the provider's reason.
 */
const ctx = useEmulatedApp(['xero', 'quickbooks', 'sage'])
let worker: Worker
beforeAll(() => {
  worker = ctx.t.services.sync.worker({ owner: 'credit-notes-worker', pollMs: 3_600_000 })
  worker.start()
})
afterAll(async () => {
  await worker.stop()
})

// The fixture's line for each provider (its mappings cover this category and tax code).
const LINE = {
  xero: { currency: 'GBP', category: 'Labour', taxCode: 'VAT20', taxRate: '20' },
  quickbooks: { currency: 'USD', category: 'Design' },
  sage: { currency: 'GBP', category: 'Callout', taxCode: 'S', taxRate: '20' },
} as const

/** The credit notes an emulator holds: number, id, status, and what of it is left to allocate (minor units). */
function heldNotes(provider: ProviderId, org: string) {
  const h = ctx.emu.handles
  if (provider === 'xero')
    return [...h.xero!.control.organisation(org).creditNotes.values()].map((n) => ({
      number: n.CreditNoteNumber,
      id: n.CreditNoteID,
      status: n.Status,
      leftMinor: Math.round(n.RemainingCredit * 100),
    }))
  if (provider === 'quickbooks')
    return h
      .quickbooks!.control.company(org)
      .list('CreditMemo')
      .map((n) => ({
        number: String(n.DocNumber),
        id: String(n.Id),
        status: 'live',
        leftMinor: Math.round(Number(n.RemainingCredit ?? n.Balance) * 100),
      }))
  return [...h.sage!.control.business(org).artefacts.values()]
    .filter((a) => a.kind === 'sales_credit_note')
    .map((a) => ({ number: a.number, id: a.id, status: a.status, leftMinor: a.outstandingMinor }))
}

describe.each(['xero', 'quickbooks', 'sage'] as const)('%s', (provider: keyof typeof LINE) => {
  let tenant: BulkTenant
  let customerId: string
  let n = 0
  const line = LINE[provider]
  const held = () => heldNotes(provider, tenant.organisationId)
  const invoiceAt = async (id: string) =>
    (
      await ctx.t.db.get<{ provider_id: string }>(
        "SELECT provider_id FROM sync_links WHERE connection_id = ? AND record_kind = 'invoice' AND record_id = ?",
        [tenant.connectionId, id],
      )
    )?.provider_id ?? null
  const api = async (method: string, path: string, json?: unknown, status = 200) => {
    const res = await ctx.t.request(`/v1/tenants/${tenant.tenant}${path}`, {
      method,
      token: tenant.key,
      ...(json === undefined ? {} : { json }),
    })
    expect(res.status, await res.clone().text()).toBe(status)
    return res.json() as Promise<unknown>
  }
  const credit = async (invoiceId: string | null, unitPrice = '10.00') =>
    CreditNoteSchema.parse(
      await api(
        'POST',
        '/credit-notes',
        {
          number: `CN-${provider.slice(0, 2).toUpperCase()}-${++n}`,
          customerId,
          ...(invoiceId ? { invoiceId } : {}),
          currency: line.currency,
          issueDate: '2026-11-15',
          status: 'sent',
          lines: [
            {
              description: 'Goodwill credit',
              quantity: '1',
              unitPrice,
              category: line.category,
              ...('taxCode' in line ? { taxCode: line.taxCode, taxRate: line.taxRate } : {}),
            },
          ],
        },
        201,
      ),
    )
  const state = async (id: string) => CreditNoteSchema.parse(await api('GET', `/credit-notes/${id}`)).sync

  beforeAll(async () => {
    tenant = await bulkTenant(ctx.t, provider, {
      tenant: `credit-${provider}`,
      prefix: `CR${provider.slice(0, 2).toUpperCase()}`,
      customers: 1,
      invoices: 3,
    })
    await ctx.t.db.run('UPDATE tenant_settings SET auto_sync_on_send = 1 WHERE tenant_id = ?', [
      tenant.tenant,
    ])
    customerId = (await ctx.t.db.get<{ customer_id: string }>(
      'SELECT customer_id FROM invoices WHERE id = ?',
      [tenant.invoiceIds[0]!],
    ))!.customer_id
  })

  test('a credit note is posted once with its tax and set once against its invoice, posted first', async () => {
    const invoiceId = tenant.invoiceIds[0]!
    expect(await invoiceAt(invoiceId)).toBeNull()
    const note = await credit(invoiceId)
    expect(note.sync.state).toBe('pending')
    await worker.whenIdle()
    const at = (await invoiceAt(invoiceId))!
    const invoice = InvoiceSchema.parse(await api('GET', `/invoices/${invoiceId}`))
    const total = Number(toMinor(note.total, note.currency))
    const mine = held().filter((h) => h.number === note.number)
    expect(mine).toHaveLength(1)
    expect(mine[0]!.leftMinor).toBe(0)
    // The provider's amount due is the app's: the total less the credit.
    expect(providerAmountDue(ctx.emu.handles, provider, tenant.organisationId, at)).toBe(
      Number(toMinor(invoice.amountDue, invoice.currency)),
    )
    expect(Number(toMinor(invoice.amountCredited, invoice.currency))).toBe(total)
    expect((await state(note.id)).state).toBe('synced')
    expect(
      await ctx.t.db.all('SELECT amount_minor FROM sync_allocations WHERE credit_note_id = ?', [note.id]),
    ).toEqual([{ amount_minor: total }])
    const runs = await ctx.t.services.sync.history.list(tenant.tenant, { limit: 5, kind: 'credit_note' })
    expect(runs.data[0]).toMatchObject({ trigger: 'event', event: 'credit_note_sent', status: 'succeeded' })

    // Pushed again (Sync now): nothing posted or allocated twice.
    const again = await ctx.t.request(`/v1/sync/credit-notes/${note.id}`, {
      method: 'POST',
      token: tenant.admin,
    })
    expect(again.status).toBe(202)
    await worker.whenIdle()
    expect(held().filter((h) => h.number === note.number)).toHaveLength(1)
    expect(providerAmountDue(ctx.emu.handles, provider, tenant.organisationId, at)).toBe(
      Number(toMinor(invoice.amountDue, invoice.currency)),
    )
  })

  test('a credit note of no invoice is posted and left unallocated; voided, it is voided there', async () => {
    const note = await credit(null, '4.00')
    await worker.whenIdle()
    const [mine] = held().filter((h) => h.number === note.number)
    expect(mine!.leftMinor).toBe(Number(toMinor(note.total, note.currency)))
    expect((await state(note.id)).state).toBe('synced')

    await api('PATCH', `/credit-notes/${note.id}`, { status: 'void' })
    await worker.whenIdle()
    const after = held().filter((h) => h.number === note.number)
    if (provider === 'quickbooks')
      expect(after).toEqual([]) // QuickBooks has no void: deleted
    else expect(after.map((h) => h.status)).toEqual([provider === 'xero' ? 'VOIDED' : 'VOID'])
    expect((await state(note.id)).state).toBe('synced')
  })

  test('an allocation the provider refuses (the invoice paid there) fails on the credit note with its reason', async () => {
    const invoiceId = tenant.invoiceIds[1]!
    const pushed = await ctx.t.request(`/v1/sync/invoices/${invoiceId}`, {
      method: 'POST',
      token: tenant.admin,
    })
    expect(pushed.status).toBe(202)
    await worker.whenIdle()
    const at = (await invoiceAt(invoiceId))!
    const org = tenant.organisationId
    if (provider === 'xero') ctx.emu.handles.xero!.control.payInvoice(org, at)
    else if (provider === 'quickbooks')
      ctx.emu.handles.quickbooks!.control.recordPayment({ realmId: org, invoiceId: at })
    else ctx.emu.handles.sage!.control.recordPayment({ businessId: org, invoiceId: at })

    const note = await credit(invoiceId)
    await worker.whenIdle()
    const s = await state(note.id)
    expect(s.state).toBe('error')
    expect(['provider_refused', 'invoice_locked']).toContain(s.error!.code)
    expect(s.error!.providerMessage).toBeTruthy()
    // Posted, never set against the paid invoice.
    expect(held().filter((h) => h.number === note.number)).toHaveLength(1)
    expect(await ctx.t.db.all('SELECT 1 FROM sync_allocations WHERE credit_note_id = ?', [note.id])).toEqual(
      [],
    )
    expect(providerAmountDue(ctx.emu.handles, provider, org, at)).toBe(0)
  })
})

/** How many live allocations of this credit note an emulator holds, and the path its allocation calls take. */
const ALLOCATIONS: Record<
  keyof typeof LINE,
  { path: RegExp; count: (org: string, number: string) => number }
> = {
  xero: {
    path: /\/Allocations$/,
    count: (org, number) =>
      [...ctx.emu.handles.xero!.control.organisation(org).creditNotes.values()].find(
        (n) => n.CreditNoteNumber === number,
      )!.Allocations.length,
  },
  quickbooks: {
    path: /\/payment$/,
    count: (org, number) => {
      const company = ctx.emu.handles.quickbooks!.control.company(org)
      const memo = company.list('CreditMemo').find((m) => m.DocNumber === number)!
      return company
        .list('Payment')
        .filter((p) =>
          ((p.Line as { LinkedTxn: { TxnId: string; TxnType: string }[] }[] | undefined) ?? []).some((l) =>
            l.LinkedTxn.some((t) => t.TxnType === 'CreditMemo' && t.TxnId === memo.Id),
          ),
        ).length
    },
  },
  sage: {
    path: /\/contact_allocations$/,
    count: (org, number) => {
      const business = ctx.emu.handles.sage!.control.business(org)
      const note = [...business.artefacts.values()].find(
        (a) => a.kind === 'sales_credit_note' && a.number === number,
      )!
      return [...business.settlements.values()].filter(
        (s) =>
          s.kind === 'contact_allocation' &&
          s.deletedAt === null &&
          s.allocations.some((a) => a.artefactId === note.id),
      ).length
    },
  },
}

test.each(['xero', 'quickbooks', 'sage'] as const)(
  '%s: an allocation whose answer was lost is found on the retry and made once',
  async (provider) => {
    const line = LINE[provider]
    const prefix = `CL${provider.slice(0, 2).toUpperCase()}`
    const tenant = await bulkTenant(ctx.t, provider, {
      tenant: `credit-lost-${provider}`,
      prefix,
      customers: 1,
      invoices: 1,
    })
    const invoiceId = tenant.invoiceIds[0]!
    const push = (path: string) => ctx.t.request(path, { method: 'POST', token: tenant.admin })
    const customerId = (await ctx.t.db.get<{ customer_id: string }>(
      'SELECT customer_id FROM invoices WHERE id = ?',
      [invoiceId],
    ))!.customer_id
    const number = `${prefix}-CN-1`
    const res = await ctx.t.request(`/v1/tenants/${tenant.tenant}/credit-notes`, {
      method: 'POST',
      token: tenant.key,
      json: {
        number,
        customerId,
        currency: line.currency,
        issueDate: '2026-11-15',
        status: 'sent',
        lines: [
          {
            description: 'Credit',
            quantity: '1',
            unitPrice: '10.00',
            category: line.category,
            ...('taxCode' in line ? { taxCode: line.taxCode, taxRate: line.taxRate } : {}),
          },
        ],
      },
    })
    expect(res.status, await res.clone().text()).toBe(201)
    const note = CreditNoteSchema.parse(await res.json())
    // Auto-sync is off here: the invoice and the note are posted first, with nothing to allocate.
    expect((await push(`/v1/sync/invoices/${invoiceId}`)).status).toBe(202)
    expect((await push(`/v1/sync/credit-notes/${note.id}`)).status).toBe(202)
    await worker.whenIdle()
    const linked = await ctx.t.request(`/v1/tenants/${tenant.tenant}/credit-notes/${note.id}`, {
      method: 'PATCH',
      token: tenant.key,
      json: { invoiceId },
    })
    expect(linked.status, await linked.clone().text()).toBe(200)

    // Linked to the invoice: the note's update goes through, then its allocation lands, its answer lost.
    const { path, count } = ALLOCATIONS[provider]
    const control = ctx.emu.handles[provider]!.control
    if (provider === 'quickbooks')
      ctx.emu.handles.quickbooks!.control.injectFault({ kind: 'drop_after' }, 1, 'api', path)
    else
      (control as { injectFault(f: { kind: 'drop_after' }, n: number, p: RegExp): void }).injectFault(
        { kind: 'drop_after' },
        1,
        path,
      )
    expect((await push(`/v1/sync/credit-notes/${note.id}`)).status).toBe(202)
    await worker.whenIdle()
    expect(count(tenant.organisationId, number)).toBe(1)
    const state = async () =>
      CreditNoteSchema.parse(
        await (
          await ctx.t.request(`/v1/tenants/${tenant.tenant}/credit-notes/${note.id}`, { token: tenant.key })
        ).json(),
      ).sync.state
    expect(await state()).toBe('pending')

    ctx.t.advance(60_000)
    await worker.stop()
    worker.start()
    await worker.whenIdle()
    expect(count(tenant.organisationId, number)).toBe(1)
    expect(await state()).toBe('synced')
    expect(
      await ctx.t.db.all('SELECT amount_minor FROM sync_allocations WHERE credit_note_id = ?', [note.id]),
    ).toEqual([{ amount_minor: Number(toMinor(note.total, note.currency)) }])
  },
)

test('a bulk run of credit notes posts each and sets it against its invoice, posting the invoices first', async () => {
  const tenant = await bulkTenant(ctx.t, 'sage', {
    tenant: 'credit-bulk',
    prefix: 'CBK',
    customers: 2,
    invoices: 3,
  })
  const line = LINE.sage
  const notes: string[] = []
  for (const [n, invoiceId] of tenant.invoiceIds.entries()) {
    const customerId = (await ctx.t.db.get<{ customer_id: string }>(
      'SELECT customer_id FROM invoices WHERE id = ?',
      [invoiceId],
    ))!.customer_id
    const res = await ctx.t.request(`/v1/tenants/${tenant.tenant}/credit-notes`, {
      method: 'POST',
      token: tenant.key,
      json: {
        number: `CBK-CN-${n}`,
        customerId,
        invoiceId,
        currency: line.currency,
        issueDate: '2026-11-15',
        status: 'sent',
        lines: [
          {
            description: 'Credit',
            quantity: '1',
            unitPrice: '5.00',
            category: line.category,
            taxCode: line.taxCode,
            taxRate: line.taxRate,
          },
        ],
      },
    })
    expect(res.status, await res.clone().text()).toBe(201)
    notes.push(((await res.json()) as { id: string }).id)
  }
  const preview = await ctx.t.services.sync.bulk.preview(tenant.tenant, 'credit_notes')
  expect(preview).toMatchObject({
    creditNotes: 3,
    invoices: 3,
    customers: 2,
    summary: '3 credit notes and the 3 invoices and 2 customers they need',
  })
  const { run } = await ctx.t.services.sync.bulk.start(tenant.tenant, 'credit_notes', 'system')
  await worker.whenIdle()
  expect((await ctx.t.services.sync.bulk.get(tenant.tenant, run.id)).progress).toMatchObject({
    total: 3,
    done: 3,
    failed: 0,
    remaining: 0,
  })
  const held = heldNotes('sage', tenant.organisationId).filter((h) => h.number.startsWith('CBK-'))
  expect(held.map((h) => h.leftMinor)).toEqual([0, 0, 0])
  expect(
    await ctx.t.db.get('SELECT count(*) AS n FROM sync_allocations WHERE connection_id = ?', [
      tenant.connectionId,
    ]),
  ).toEqual({ n: 3 })
  // Again: nothing left to send.
  expect((await ctx.t.services.sync.bulk.preview(tenant.tenant, 'credit_notes')).creditNotes).toBe(0)
})
