import type { Db } from '../db/client.ts'
import type { ProviderLookup } from '../connections/service.ts'
import { activeConnectionOf } from './active-connection.ts'
import { createContactSync } from './contacts.ts'
import { syncAdapterOf, type ProviderCalls } from './provider-calls.ts'
import type { JobContext } from './worker.ts'

/**
 * The `push_customers` job: up to a batch of one connection's customers become contacts (found
 * first, created only when none matches), each linked once; a customer edited since its contact
 * was written has that contact updated. A customer the provider refuses keeps
 * its own error; the others stand. Runs under the same per-connection lock as invoice pushes, so
 * an invoice push and a customer push never both create one customer's contact.
 */
export interface CustomersPayload {
  connectionId: string
  customerIds: string[]
}

export function createCustomerPush(deps: {
  db: Db
  providers: ProviderLookup
  calls: ProviderCalls
  now: () => number
}) {
  const contactsFor = createContactSync(deps)
  return async function pushCustomers(ctx: JobContext) {
    const { connectionId, customerIds } = ctx.job.payload as CustomersPayload
    const conn = await activeConnectionOf(deps.db, connectionId)
    const { adapter, sync } = syncAdapterOf(deps.providers, conn.provider)
    await contactsFor(conn, adapter, sync, customerIds, ctx, { updateOutdated: true })
    await ctx.finish(async (tx) => {
      await tx.run('UPDATE connections SET last_sync_at = ? WHERE id = ?', [deps.now(), conn.id])
    })
  }
}
