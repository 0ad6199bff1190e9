import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ProviderId } from '../../shared/providers.ts'
import type { Worker } from '../../server/sync/worker.ts'
import type { BulkTenant } from '../fixtures/bulk-tenant.ts'
import { payAtProvider } from '../fixtures/provider-payments.ts'
import { livePayments, providerIdOf, pushedTenant } from '../fixtures/pushed-tenant.ts'
import { useWebhookApp } from './support.ts'

/**
 * From the bookkeeper's payment in the provider to the payment in LedgerLink, over real HTTP: the
 * emulator signs and delivers its webhook to the receiver, the worker applies the event, and the
 * invoice here is part paid by a payment of origin `provider`. With the webhook lost (the
 * receiver unreachable), the polling pass finds the same payment: once, however it comes.
 */
const ctx = useWebhookApp(['xero', 'quickbooks'])
let worker: Worker
beforeAll(() => {
  worker = ctx.t.services.sync.worker({ owner: 'webhook-flow', pollMs: 3_600_000 })
  worker.start()
})
afterAll(() => worker.stop())

describe.each(['xero', 'quickbooks'] as const)('%s', (provider: ProviderId) => {
  let tenant: BulkTenant
  const paymentsOf = (invoiceId: string) => livePayments(ctx.t, invoiceId)
  const payThere = (at: string, amount: number) =>
    payAtProvider(ctx.emu.handles, provider, tenant.organisationId, at, amount)
  /** Points the emulator's webhooks at `url` (signed with the key LedgerLink has). */
  async function subscribe(url: string) {
    if (provider === 'xero') {
      const xero = ctx.emu.handles.xero!.control.webhooks
      xero.subscribe({ url: `${url}/v1/webhooks/xero`, key: ctx.emu.webhookKeys.xero! })
      if (url === ctx.url) expect((await xero.intentToReceive()).passed).toBe(true)
    } else
      ctx.emu.handles.quickbooks!.control.webhooks.configure({
        url: `${url}/v1/webhooks/quickbooks`,
        verifierToken: ctx.emu.webhookKeys.quickbooks!,
      })
  }
  const flush = async () => {
    if (provider === 'xero') await ctx.emu.handles.xero!.control.webhooks.flush()
    else await ctx.emu.handles.quickbooks!.control.webhooks.flush()
  }

  beforeAll(async () => {
    tenant = await pushedTenant(ctx.t, worker, provider, {
      tenant: `flow-${provider}`,
      prefix: `WF${provider.slice(0, 2).toUpperCase()}`,
      customers: 1,
      invoices: 2,
    })
  })

  test('a payment entered there reaches LedgerLink by its signed webhook and is recorded once', async () => {
    await subscribe(ctx.url)
    await flush() // what the pushes caused: acknowledged, nothing to record
    await worker.whenIdle()
    const id = tenant.invoiceIds[0]!
    payThere(await providerIdOf(ctx.t, tenant, id), 8.25)
    await flush()
    await worker.whenIdle()
    expect(await paymentsOf(id)).toEqual([{ origin: 'provider', amount_minor: 825 }])
    // Delivered again (a provider retry): still one.
    await flush()
    await worker.whenIdle()
    expect(await paymentsOf(id)).toHaveLength(1)
  })

  test('with the webhook lost, the polling pass catches the payment', async () => {
    // The receiver cannot be reached (a closed port): the provider's deliveries fail.
    await subscribe('http://127.0.0.1:9')
    const id = tenant.invoiceIds[1]!
    payThere(await providerIdOf(ctx.t, tenant, id), 4)
    await flush()
    await worker.whenIdle()
    expect(await paymentsOf(id)).toEqual([])

    ctx.t.advance(ctx.t.services.polling.lightEveryMs(ctx.emu.registry.get(provider)!))
    await ctx.t.services.polling.enqueueDue()
    await worker.whenIdle()
    expect(await paymentsOf(id)).toEqual([{ origin: 'provider', amount_minor: 400 }])
    expect(await paymentsOf(tenant.invoiceIds[0]!)).toHaveLength(1)
  })
})
