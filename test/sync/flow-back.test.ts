import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { InvoiceSchema } from '../../shared/api/invoices.ts'
import { PaymentSchema } from '../../shared/api/payments.ts'
import type { ProviderId } from '../../shared/providers.ts'
import { eventDigest, type EventEntity } from '../../server/sync/provider-events.ts'
import type { Worker } from '../../server/sync/worker.ts'
import { bulkTenant, type BulkTenant } from '../fixtures/bulk-tenant.ts'
import { payAtProvider, providerPayments } from '../fixtures/provider-payments.ts'
import { providerIdOf, pushInvoice } from '../fixtures/pushed-tenant.ts'
import { useEmulatedApp } from '../helpers/providers.ts'

/**
 * Payments made in the accounting software come back: the provider's event (as a receiver stores
 * it) is applied from the queue, the invoice's live payments there are read, and one entered there
 * is recorded here once (origin `provider`, synced, never sent back); one removed there is removed
 * here. A replayed event changes nothing; an event arriving while a push of that invoice's payments
 * is under way waits for it, so no payment of ours is ever taken for one entered there.
 */
const ctx = useEmulatedApp(['xero', 'quickbooks', 'sage'])
let worker: Worker
beforeAll(() => {
  worker = ctx.t.services.sync.worker({ owner: 'flow-back-worker', pollMs: 3_600_000 })
  worker.start()
})
afterAll(async () => {
  await worker.stop()
})

const EVENT_ENTITY: Record<ProviderId, EventEntity> = {
  xero: 'invoice',
  quickbooks: 'payment',
  sage: 'invoice',
}

describe.each(['xero', 'quickbooks', 'sage'] as const)('%s', (provider: ProviderId) => {
  let tenant: BulkTenant
  let sequence = 0
  const base = () => `/v1/tenants/${tenant.tenant}`
  const get = async (path: string) => {
    const res = await ctx.t.request(`${base()}/${path}`, { token: tenant.key })
    expect(res.status, await res.clone().text()).toBe(200)
    return res.json() as Promise<unknown>
  }
  const invoice = async (id: string) => InvoiceSchema.parse(await get(`invoices/${id}`))
  const paymentsOf = async (id: string) =>
    ((await get(`payments?invoiceId=${id}`)) as { data: unknown[] }).data.map((p) => PaymentSchema.parse(p))
  const held = (at: string) =>
    providerPayments(ctx.emu.handles, provider, tenant.organisationId).filter((p) => p.invoiceId === at)

  /** A payment a bookkeeper enters in the provider itself; answers the provider's payment id. */
  const payThere = (at: string, amount: number) =>
    payAtProvider(ctx.emu.handles, provider, tenant.organisationId, at, amount)

  /** The provider's event about it, as the webhook receiver (or the polling pass) stores it. */
  async function event(resourceId: string, operation = 'UPDATE') {
    const e = {
      organisationId: tenant.organisationId,
      entity: EVENT_ENTITY[provider],
      resourceId,
      operation,
      occurredAt: ctx.t.now(),
    }
    const eventId = eventDigest([e.organisationId, e.entity, e.resourceId, operation, ++sequence])
    return ctx.t.services.providerEvents.receive(provider, { contentType: 'application/json', body: '{}' }, [
      { eventId, ...e },
    ])
  }

  async function pushed(invoiceId: string) {
    await pushInvoice(ctx.t, tenant, invoiceId)
    await worker.whenIdle()
    return providerIdOf(ctx.t, tenant, invoiceId)
  }

  beforeAll(async () => {
    tenant = await bulkTenant(ctx.t, provider, {
      tenant: `back-${provider}`,
      prefix: `FB${provider.slice(0, 2).toUpperCase()}`,
      customers: 1,
      invoices: 3,
    })
    await ctx.t.db.run('UPDATE tenant_settings SET auto_sync_on_send = 1 WHERE tenant_id = ?', [
      tenant.tenant,
    ])
  })

  test('a part payment entered there is recorded here once, synced, and the invoice says part paid', async () => {
    const id = tenant.invoiceIds[0]!
    const at = await pushed(id)
    const before = await invoice(id)
    const paidThere = payThere(at, 12.5)
    const received = await event(provider === 'quickbooks' ? paidThere : at)
    expect(received).toMatchObject({ stored: 1, duplicates: 0, unknown: 0 })
    await worker.whenIdle()

    const [payment, ...others] = await paymentsOf(id)
    expect(others).toEqual([])
    expect(payment).toMatchObject({ amount: '12.50', origin: 'provider', removedAt: null })
    expect(payment!.sync).toMatchObject({ state: 'synced', provider })
    const after = await invoice(id)
    expect(Number(after.amountDue)).toBeCloseTo(Number(before.amountDue) - 12.5, 2)
    expect(after.sync.state).toBe('synced')
    // Nothing went back: the provider still holds the one payment its bookkeeper entered.
    await worker.whenIdle()
    expect(held(at).map((p) => p.amountMinor)).toEqual([1250])
    const stored = await ctx.t.db.get<{ state: string }>(
      'SELECT state FROM provider_events WHERE provider = ? AND resource_id = ?',
      [provider, provider === 'quickbooks' ? paidThere : at],
    )
    expect(stored!.state).toBe('processed')

    // The same change told again (a replayed or repeated event): nothing more here.
    await event(provider === 'quickbooks' ? paidThere : at)
    await worker.whenIdle()
    expect(await paymentsOf(id)).toHaveLength(1)
  })

  test('paid in full there: paid here, and a payment of ours beside it is not taken for theirs', async () => {
    const id = tenant.invoiceIds[1]!
    const at = await pushed(id)
    // The host records 10.00 (posted at once), then the bookkeeper pays the rest in the provider.
    const res = await ctx.t.request(`${base()}/payments`, {
      method: 'POST',
      token: tenant.key,
      json: { invoiceId: id, amount: '10.00', date: '2026-11-20' },
    })
    expect(res.status).toBe(201)
    await worker.whenIdle()
    const rest = Number((await invoice(id)).amountDue)
    const paidThere = payThere(at, rest)
    await event(provider === 'quickbooks' ? paidThere : at)
    await worker.whenIdle()

    const payments = await paymentsOf(id)
    expect(payments.map((p) => [p.origin, p.amount]).sort()).toEqual(
      [
        ['host', '10.00'],
        ['provider', rest.toFixed(2)],
      ].sort(),
    )
    expect(await invoice(id)).toMatchObject({ status: 'paid', amountDue: '0.00' })
    expect(held(at)).toHaveLength(2)
  })

  /** The bookkeeper deletes that payment in the provider. */
  function removeThere(paymentId: string) {
    const org = tenant.organisationId
    if (provider === 'xero') return void ctx.emu.handles.xero!.control.deletePayment(org, paymentId)
    if (provider === 'sage') return ctx.emu.handles.sage!.control.deletePayment(org, paymentId)
    const qbo = ctx.emu.handles.quickbooks!.control
    const payment = qbo.company(org).get('Payment', paymentId)!
    qbo.write(org, 'payment', { Id: paymentId, SyncToken: payment.SyncToken }, 'delete')
  }

  test('a payment removed there is removed here, and its amount is due again', async () => {
    const id = tenant.invoiceIds[2]!
    const at = await pushed(id)
    const { total } = await invoice(id)
    const paidThere = payThere(at, 20)
    const about = provider === 'quickbooks' ? paidThere : at
    await event(about)
    await worker.whenIdle()
    expect((await invoice(id)).amountDue).not.toBe(total)

    removeThere(paidThere)
    await event(about)
    await worker.whenIdle()
    expect(await paymentsOf(id)).toEqual([])
    expect((await invoice(id)).amountDue).toBe(total)
    const removed = await ctx.t.db.get<{ id: string }>(
      'SELECT id FROM payments WHERE invoice_id = ? AND removed_at IS NOT NULL',
      [id],
    )
    const answer = PaymentSchema.parse(await get(`payments/${removed!.id}`))
    expect(answer).toMatchObject({ origin: 'provider' })
    expect(answer.removedAt).not.toBeNull()
    expect(answer.sync.state).toBe('synced')
    expect(held(at)).toEqual([])
  })
})

describe('an event while a push of the invoice’s payments is under way', () => {
  test('waits for the push: our payment and theirs, each once', async () => {
    const tenant = await bulkTenant(ctx.t, 'xero', {
      tenant: 'back-race',
      prefix: 'FBR',
      customers: 1,
      invoices: 1,
    })
    const xero = ctx.emu.handles.xero!.control
    const id = tenant.invoiceIds[0]!
    await pushInvoice(ctx.t, tenant, id)
    await worker.whenIdle()
    const at = await providerIdOf(ctx.t, tenant, id)
    await ctx.t.db.run('UPDATE tenant_settings SET auto_sync_on_send = 1 WHERE tenant_id = ?', [
      tenant.tenant,
    ])

    // The host records 10.00, and another process takes its push (and will die before it commits).
    await worker.stop()
    const paid = await ctx.t.request(`/v1/tenants/${tenant.tenant}/payments`, {
      method: 'POST',
      token: tenant.key,
      json: { invoiceId: id, amount: '10.00', date: '2026-11-20' },
    })
    expect(paid.status).toBe(201)
    const taken = await ctx.t.db.run(
      `UPDATE jobs SET state = 'running', lease_owner = 'another-process', lease_expires_at = ?, attempts = attempts + 1
        WHERE kind = 'push_payments' AND tenant_id = ? AND state = 'queued'`,
      [ctx.t.now() + 30_000, tenant.tenant],
    )
    expect(taken.changes).toBe(1)
    // Its write lands at Xero, and it dies before it could link it (Xero's answer is lost with it).
    xero.payInvoice(tenant.organisationId, at, { Amount: 10, Date: '2026-11-20' })
    // Meanwhile the bookkeeper enters 5.00 in Xero, and its event comes.
    xero.payInvoice(tenant.organisationId, at, { Amount: 5 })
    await ctx.t.services.providerEvents.receive('xero', { contentType: 'application/json', body: '{}' }, [
      {
        eventId: eventDigest(['race', at]),
        organisationId: tenant.organisationId,
        entity: 'invoice',
        resourceId: at,
        operation: 'UPDATE',
        occurredAt: ctx.t.now(),
      },
    ])
    worker.start()
    await worker.whenIdle()
    // Deferred: nothing recorded from Xero while our push is in another process's hands.
    const rows = () =>
      ctx.t.db.all<{ origin: string; amount_minor: number }>(
        'SELECT origin, amount_minor FROM payments WHERE invoice_id = ? ORDER BY origin',
        [id],
      )
    expect(await rows()).toEqual([{ origin: 'host', amount_minor: 1000 }])
    const waiting = await ctx.t.db.get<{ state: string }>(
      "SELECT state FROM provider_events WHERE provider = 'xero' AND resource_id = ?",
      [at],
    )
    expect(waiting!.state).toBe('queued')

    // That process's lease runs out: our worker's retry finds its 10.00 at Xero and claims it,
    // then the event is applied: the 5.00 alone is the bookkeeper's.
    ctx.t.advance(31_000)
    await worker.whenIdle()
    // (Had the event's run come first, it waited again: its next look is two seconds on.)
    ctx.t.advance(2_000)
    await worker.whenIdle()
    expect(await rows()).toEqual([
      { origin: 'host', amount_minor: 1000 },
      { origin: 'provider', amount_minor: 500 },
    ])
    const atXero = [...xero.organisation(tenant.organisationId).payments.values()]
      .filter((p) => p.InvoiceID === at && p.Status === 'AUTHORISED')
      .map((p) => p.Amount)
      .sort()
    expect(atXero).toEqual([10, 5].sort())
  })
})
