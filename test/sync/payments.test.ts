import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { InvoiceSchema } from '../../shared/api/invoices.ts'
import { PaymentSchema } from '../../shared/api/payments.ts'
import { toMinor } from '../../shared/money.ts'
import type { ProviderId } from '../../shared/providers.ts'
import type { Worker } from '../../server/sync/worker.ts'
import { bulkTenant, type BulkTenant } from '../fixtures/bulk-tenant.ts'
import { providerApiCalls } from '../fixtures/provider-invoices.ts'
import { providerAmountDue, providerPayments } from '../fixtures/provider-payments.ts'
import { useEmulatedApp } from '../helpers/providers.ts'

/**
 * Payments through the engine on each provider's emulator: recorded by the host API (auto-sync on),
 * each lands once against its invoice (posted first when the provider has not got it), part
 * payments add up to paid there too, a payment the provider refuses fails on that payment with the
 * provider's reason, a removed payment is removed there, a changed one is recorded anew, and a
 * missing payment account stops the payment before anything is sent.
 */
const ctx = useEmulatedApp(['xero', 'quickbooks', 'sage'])
let worker: Worker
beforeAll(() => {
  worker = ctx.t.services.sync.worker({ owner: 'payments-worker', pollMs: 3_600_000 })
  worker.start()
})
afterAll(async () => {
  await worker.stop()
})

function host(tenant: BulkTenant) {
  const { t } = ctx
  const call = async (method: string, path: string, json?: unknown, token = tenant.key) =>
    t.request(path, { method, token, ...(json === undefined ? {} : { json }) })
  const ok = async (res: Response, status = 200) => {
    expect(res.status, await res.clone().text()).toBe(status)
    return res.json() as Promise<unknown>
  }
  const base = `/v1/tenants/${tenant.tenant}`
  return {
    invoice: async (id: string) => InvoiceSchema.parse(await ok(await call('GET', `${base}/invoices/${id}`))),
    pay: async (invoiceId: string, amount: string) =>
      PaymentSchema.parse(
        await ok(await call('POST', `${base}/payments`, { invoiceId, amount, date: '2026-11-20' }), 201),
      ),
    payment: async (id: string) => PaymentSchema.parse(await ok(await call('GET', `${base}/payments/${id}`))),
    change: async (id: string, patch: unknown) =>
      PaymentSchema.parse(await ok(await call('PATCH', `${base}/payments/${id}`, patch))),
    remove: async (id: string) =>
      PaymentSchema.parse(await ok(await call('DELETE', `${base}/payments/${id}`))),
    list: async (invoiceId: string) =>
      ((await ok(await call('GET', `${base}/payments?invoiceId=${invoiceId}`))) as { data: { id: string }[] })
        .data,
    call,
    ok,
  }
}

/** The provider's id of one of our invoices at this connection. */
async function providerIdOf(tenant: BulkTenant, invoiceId: string) {
  const row = await ctx.t.db.get<{ provider_id: string }>(
    "SELECT provider_id FROM sync_links WHERE connection_id = ? AND record_kind = 'invoice' AND record_id = ?",
    [tenant.connectionId, invoiceId],
  )
  return row?.provider_id ?? null
}

const minor = (amount: string) => Number(toMinor(amount, 'GBP'))

describe.each(['xero', 'quickbooks', 'sage'] as const)('%s', (provider: ProviderId) => {
  let tenant: BulkTenant
  let api: ReturnType<typeof host>
  const held = (invoiceAt: string) =>
    providerPayments(ctx.emu.handles, provider, tenant.organisationId).filter(
      (p) => p.invoiceId === invoiceAt,
    )
  const due = (invoiceAt: string) =>
    providerAmountDue(ctx.emu.handles, provider, tenant.organisationId, invoiceAt)

  beforeAll(async () => {
    tenant = await bulkTenant(ctx.t, provider, {
      tenant: `pay-${provider}`,
      prefix: `PY${provider.slice(0, 2).toUpperCase()}`,
      customers: 2,
      invoices: 6,
    })
    // Invoices were sent with auto-sync off (nothing posted); payments from now on go at once.
    await ctx.t.db.run('UPDATE tenant_settings SET auto_sync_on_send = 1 WHERE tenant_id = ?', [
      tenant.tenant,
    ])
    api = host(tenant)
  })

  test('part payments adding up to the total: the invoice goes first, each payment once, paid there and here', async () => {
    const id = tenant.invoiceIds[0]!
    const { total } = await api.invoice(id)
    expect(await providerIdOf(tenant, id)).toBeNull()
    const first = await api.pay(id, '10.00')
    expect(first.sync.state).toBe('pending')
    await worker.whenIdle()
    const at = (await providerIdOf(tenant, id))!
    expect(at).not.toBeNull()
    expect(held(at).map((p) => p.amountMinor)).toEqual([1000])
    expect(due(at)).toBe(minor(total) - 1000)
    expect((await api.payment(first.id)).sync).toMatchObject({ state: 'synced', provider })

    const rest = (minor(total) - 1000) / 100
    const second = await api.pay(id, rest.toFixed(2))
    await worker.whenIdle()
    expect(
      held(at)
        .map((p) => p.amountMinor)
        .sort((a, b) => a - b),
    ).toEqual([1000, minor(total) - 1000].sort((a, b) => a - b))
    expect(due(at)).toBe(0)
    expect((await api.payment(second.id)).sync.state).toBe('synced')
    // Paid here too, and still synced: a payment moves the invoice's answer, not what is posted of it.
    const invoice = await api.invoice(id)
    expect(invoice).toMatchObject({ status: 'paid', amountDue: '0.00' })
    expect(invoice.sync.state).toBe('synced')
    const posted = await ctx.t.db.get<{ ok: number }>(
      "SELECT l.synced_version >= i.push_version AS ok FROM sync_links l JOIN invoices i ON i.id = l.record_id WHERE l.record_kind = 'invoice' AND l.record_id = ?",
      [id],
    )
    expect(posted!.ok).toBe(1)
    // Each payment is a run of the history, started by the app's event, its invoice posted with it.
    const runs = await ctx.t.services.sync.history.list(tenant.tenant, { limit: 10, kind: 'payment' })
    expect(runs.data.map((r) => [r.trigger, r.event, r.status, r.total])).toEqual([
      ['event', 'payment_recorded', 'succeeded', 1],
      ['event', 'payment_recorded', 'succeeded', 1],
    ])
  })

  test('marking an invoice paid records the whole amount due at the provider', async () => {
    const id = tenant.invoiceIds[1]!
    const res = await api.call('POST', `/v1/tenants/${tenant.tenant}/invoices/${id}/mark-paid`, {})
    const paid = (await api.ok(res)) as { payment: { id: string; amount: string } }
    await worker.whenIdle()
    const at = (await providerIdOf(tenant, id))!
    expect(held(at).map((p) => p.amountMinor)).toEqual([minor(paid.payment.amount)])
    expect(due(at)).toBe(0)
  })

  test('a payment above what the provider has due fails on that payment, with the provider’s reason', async () => {
    const id = tenant.invoiceIds[2]!
    const { total } = await api.invoice(id)
    // The bookkeeper already recorded part of it in the accounting software.
    const pushed = await api.call('POST', `/v1/sync/invoices/${id}`, undefined, tenant.admin)
    expect(pushed.status).toBe(202)
    await worker.whenIdle()
    const at = (await providerIdOf(tenant, id))!
    const org = tenant.organisationId
    if (provider === 'xero') ctx.emu.handles.xero!.control.payInvoice(org, at, { Amount: 5 })
    else if (provider === 'quickbooks')
      ctx.emu.handles.quickbooks!.control.recordPayment({ realmId: org, invoiceId: at, amount: 5 })
    else ctx.emu.handles.sage!.control.recordPayment({ businessId: org, invoiceId: at, amount: 5 })
    const before = held(at)

    const payment = await api.pay(id, total)
    await worker.whenIdle()
    const state = (await api.payment(payment.id)).sync
    expect(state.state).toBe('error')
    expect(state.error).toMatchObject({ code: 'provider_refused' })
    expect(state.error!.providerMessage).toBeTruthy()
    expect(held(at)).toEqual(before)
    expect(due(at)).toBe(minor(total) - 500)
  })

  test('a removed payment is removed at the provider and its amount is due again there', async () => {
    const id = tenant.invoiceIds[3]!
    const { total } = await api.invoice(id)
    const payment = await api.pay(id, '20.00')
    await worker.whenIdle()
    const at = (await providerIdOf(tenant, id))!
    expect(held(at)).toHaveLength(1)

    const removed = await api.remove(payment.id)
    expect(removed.removedAt).not.toBeNull()
    expect(removed.sync.state).toBe('pending')
    expect((await api.invoice(id)).amountDue).toBe(total)
    await worker.whenIdle()
    expect(held(at)).toEqual([])
    expect(due(at)).toBe(minor(total))
    expect((await api.payment(payment.id)).sync.state).toBe('synced')
    expect(await api.list(id)).toEqual([])
    // Again: answered as it is, nothing more at the provider.
    expect((await api.remove(payment.id)).removedAt).toBe(removed.removedAt)
    await worker.whenIdle()
    expect(due(at)).toBe(minor(total))
  })

  test('a changed payment is recorded anew: one payment at the provider, of the new amount', async () => {
    const id = tenant.invoiceIds[4]!
    const payment = await api.pay(id, '20.00')
    await worker.whenIdle()
    const at = (await providerIdOf(tenant, id))!
    const [old] = held(at)
    await api.change(payment.id, { amount: '25.00' })
    await worker.whenIdle()
    const now = held(at)
    expect(now.map((p) => p.amountMinor)).toEqual([2500])
    expect(now[0]!.id).not.toBe(old!.id)
    expect((await api.payment(payment.id)).sync.state).toBe('synced')
  })

  test('with no payment account chosen, the payment waits with mapping_missing and nothing is sent', async () => {
    const id = tenant.invoiceIds[5]!
    const saved = await ctx.t.db.all<Record<string, unknown>>(
      "SELECT * FROM sync_mappings WHERE connection_id = ? AND kind = 'payment_account'",
      [tenant.connectionId],
    )
    expect(saved).toHaveLength(1)
    await ctx.t.db.run("DELETE FROM sync_mappings WHERE connection_id = ? AND kind = 'payment_account'", [
      tenant.connectionId,
    ])
    const calls = () =>
      providerApiCalls(ctx.emu.handles, provider).filter((r) => /payment/i.test(r.path)).length
    const before = calls()
    const payment = await api.pay(id, '5.00')
    await worker.whenIdle()
    expect((await api.payment(payment.id)).sync).toMatchObject({
      state: 'error',
      error: { code: 'mapping_missing', action: expect.stringContaining('account mappings') },
    })
    expect(calls()).toBe(before)

    // Chosen again, the bookkeeper's retry records it.
    const row = saved[0]!
    await ctx.t.db.run(
      'INSERT INTO sync_mappings (connection_id, kind, key, provider_ref, label, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        row.connection_id,
        row.kind,
        row.key,
        row.provider_ref,
        row.label,
        row.updated_by,
        row.updated_at,
      ] as never,
    )
    const retry = await api.call('POST', `/v1/sync/payments/${payment.id}`, undefined, tenant.admin)
    expect(retry.status).toBe(202)
    await worker.whenIdle()
    expect((await api.payment(payment.id)).sync.state).toBe('synced')
    expect(held((await providerIdOf(tenant, id))!).map((p) => p.amountMinor)).toEqual([500])
  })
})

describe('xero', () => {
  test('a push that fails as a whole (access revoked in Xero) says so on its records, with what to do', async () => {
    const tenant = await bulkTenant(ctx.t, 'xero', {
      tenant: 'pay-xero-gone',
      prefix: 'PXG',
      customers: 1,
      invoices: 1,
    })
    await ctx.t.db.run('UPDATE tenant_settings SET auto_sync_on_send = 1 WHERE tenant_id = ?', [
      tenant.tenant,
    ])
    const xero = ctx.emu.handles.xero!.control
    xero.revokeAllGrants()
    xero.expireAccessTokens()
    const api = host(tenant)
    const payment = await api.pay(tenant.invoiceIds[0]!, '10.00')
    await worker.whenIdle()
    const state = (await api.payment(payment.id)).sync
    expect(state.state).toBe('error')
    expect(state.error!.code).toMatch(/^connection_(expired|revoked)$/)
    expect(state.error!.action).toMatch(/reconnect/i)
    // The history's run tells the same, for support.
    const [run] = (await ctx.t.services.sync.history.list(tenant.tenant, { limit: 1, kind: 'payment' })).data
    expect(run).toMatchObject({ status: 'failed', failed: 1 })
    const detail = await ctx.t.services.sync.history.get(tenant.tenant, run!.id)
    expect(detail.items).toEqual([
      expect.objectContaining({ recordId: payment.id, code: state.error!.code, now: 'error' }),
    ])
  })

  test('a payment of an invoice the provider refused says why: the invoice’s own error, then retry', async () => {
    const tenant = await bulkTenant(ctx.t, 'xero', {
      tenant: 'pay-xero-inv',
      prefix: 'PXI',
      customers: 1,
      invoices: 1,
    })
    await ctx.t.db.run('UPDATE tenant_settings SET auto_sync_on_send = 1 WHERE tenant_id = ?', [
      tenant.tenant,
    ])
    // No account for the invoice's category, and none to fall back on: the invoice cannot post.
    await ctx.t.db.run(
      "DELETE FROM sync_mappings WHERE connection_id = ? AND kind IN ('default_account', 'category_account')",
      [tenant.connectionId],
    )
    const api = host(tenant)
    const payment = await api.pay(tenant.invoiceIds[0]!, '10.00')
    await worker.whenIdle()
    const state = (await api.payment(payment.id)).sync
    expect(state).toMatchObject({
      state: 'error',
      error: { code: 'invoice_not_synced', action: expect.stringContaining('then retry') },
    })
    expect(state.error!.message).toMatch(
      /^Invoice PXI-00001 is not in Xero \(The category .+ has no revenue account.+\), so its payment of 10\.00 GBP was not sent\.$/,
    )
  })

  test('a payment reconciled in Xero is not removed there: the removal fails with payment_locked and Xero’s reason', async () => {
    const tenant = await bulkTenant(ctx.t, 'xero', {
      tenant: 'pay-xero-rec',
      prefix: 'PXR',
      customers: 1,
      invoices: 1,
    })
    await ctx.t.db.run('UPDATE tenant_settings SET auto_sync_on_send = 1 WHERE tenant_id = ?', [
      tenant.tenant,
    ])
    const api = host(tenant)
    const payment = await api.pay(tenant.invoiceIds[0]!, '10.00')
    await worker.whenIdle()
    const link = await ctx.t.db.get<{ provider_id: string }>(
      "SELECT provider_id FROM sync_links WHERE record_kind = 'payment' AND record_id = ?",
      [payment.id],
    )
    ctx.emu.handles.xero!.control.reconcilePayment(tenant.organisationId, link!.provider_id)
    await api.remove(payment.id)
    await worker.whenIdle()
    const state = (await api.payment(payment.id)).sync
    expect(state).toMatchObject({ state: 'error', error: { code: 'payment_locked' } })
    expect(state.error!.providerMessage).toBeTruthy()
    const at = (await providerIdOf(tenant, tenant.invoiceIds[0]!))!
    expect(
      providerPayments(ctx.emu.handles, 'xero', tenant.organisationId)
        .filter((p) => p.invoiceId === at)
        .map((p) => p.id),
    ).toEqual([link!.provider_id])
  })

  test('an answer lost after the payment landed: the retry finds it and records it once', async () => {
    const tenant = await bulkTenant(ctx.t, 'xero', {
      tenant: 'pay-xero-lost',
      prefix: 'PXL',
      customers: 1,
      invoices: 1,
    })
    const id = tenant.invoiceIds[0]!
    const api = host(tenant)
    const pushed = await api.call('POST', `/v1/sync/invoices/${id}`, undefined, tenant.admin)
    expect(pushed.status).toBe(202)
    await worker.whenIdle()
    await ctx.t.db.run('UPDATE tenant_settings SET auto_sync_on_send = 1 WHERE tenant_id = ?', [
      tenant.tenant,
    ])
    // The chart is cached and the invoice and its contact are linked: the next call is the payment's PUT.
    const xero = ctx.emu.handles.xero!
    xero.control.injectFault({ kind: 'drop_after' })
    const payment = await api.pay(id, '12.34')
    await worker.whenIdle()
    const at = (await providerIdOf(tenant, id))!
    expect(
      providerPayments(ctx.emu.handles, 'xero', tenant.organisationId).filter((p) => p.invoiceId === at),
    ).toHaveLength(1)
    expect((await api.payment(payment.id)).sync.state).toBe('pending')

    ctx.t.advance(60_000)
    await worker.stop()
    worker.start()
    await worker.whenIdle()
    expect((await api.payment(payment.id)).sync.state).toBe('synced')
    const atXero = providerPayments(ctx.emu.handles, 'xero', tenant.organisationId).filter(
      (p) => p.invoiceId === at,
    )
    expect(atXero.map((p) => p.amountMinor)).toEqual([1234])
    const link = await ctx.t.db.get<{ provider_id: string }>(
      "SELECT provider_id FROM sync_links WHERE record_kind = 'payment' AND record_id = ?",
      [payment.id],
    )
    expect(link!.provider_id).toBe(atXero[0]!.id)
  })
})
