import { afterAll, beforeAll, expect, test } from 'vitest'
import { OutstandingWorkSchema } from '../../shared/api/connections.ts'
import { syncRepo } from '../../server/sync/sync-repo.ts'
import type { Worker } from '../../server/sync/worker.ts'
import { useEmulatedApp } from '../helpers/providers.ts'
import { bulkTenant } from '../sync/bulk-support.ts'
import { startConnection } from './flow.ts'

/**
 * Before a Disconnect or a switch, the admin is told what the current connection still has to do:
 * records queued for it and records whose last push failed, counted from the queue and the errors.
 */
const ctx = useEmulatedApp(['xero', 'sage'])
let worker: Worker
beforeAll(() => {
  worker = ctx.t.services.sync.worker({ owner: 'outstanding-worker', pollMs: 3_600_000 })
})
afterAll(async () => {
  await worker.stop()
})

test('queued and failing work is counted for the confirmations, and named in the switch refusal', async () => {
  const x = await bulkTenant(ctx.t, 'xero', 'outstanding')
  const read = async () => {
    const res = await x.call('GET', '/v1/connection/outstanding', x.admin)
    expect(res.status, await res.clone().text()).toBe(200)
    return OutstandingWorkSchema.parse(await res.json())
  }
  expect(await read()).toEqual({ queued: {}, failing: {}, summary: null })

  const customer = await x.customer('Left Behind Ltd')
  await x.mapProposals()
  const queued = [
    await x.invoice(customer, 'GBP'),
    await x.invoice(customer, 'GBP'),
    await x.invoice(customer, 'GBP'),
  ]
  const failed = await x.invoice(customer, 'GBP')
  // The worker is not running: the pushes wait in the queue.
  for (const inv of queued)
    expect((await x.call('POST', `/v1/sync/invoices/${inv.id}`, x.member)).status).toBe(202)
  const version = (await ctx.t.services.db.get<{ version: number }>(
    'SELECT version FROM invoices WHERE id = ?',
    [failed.id],
  ))!.version
  await syncRepo.fail(
    ctx.t.services.db,
    x.connectionId,
    'invoice',
    failed.id,
    version,
    {
      code: 'mapping_missing',
      message: 'No account for Labour',
      providerMessage: null,
      correlationId: null,
      final: true,
    },
    ctx.t.now(),
  )
  const summary = 'Not yet in Xero: 3 invoices waiting to be sent and 1 invoice that failed.'
  expect(await read()).toEqual({ queued: { invoice: 3 }, failing: { invoice: 1 }, summary })
  expect((await x.call('GET', '/v1/connection/outstanding', x.member)).status).toBe(403)

  const refused = await startConnection(ctx.t, x.admin, { provider: 'sage', mode: 'popup' })
  expect(refused.status).toBe(409)
  const { error } = (await refused.json()) as { error: { code: string; message: string } }
  expect(error).toMatchObject({
    code: 'provider_switch_unconfirmed',
    message: `You are connected to Xero (${(await ctx.t.services.db.get<{ organisation_name: string }>('SELECT organisation_name FROM connections WHERE id = ?', [x.connectionId]))!.organisation_name}). ${summary} A switch leaves them unsent.`,
  })

  // Sent, they are no longer outstanding.
  worker.start()
  await worker.whenIdle()
  expect(await read()).toMatchObject({ queued: {}, failing: { invoice: 1 } })
})
