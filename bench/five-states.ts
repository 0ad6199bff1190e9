import type { Db } from '../server/db/client.ts'
import type { Services } from '../server/services.ts'
import { syncRepo } from '../server/sync/sync-repo.ts'

/**
 * Puts a page of invoices in every sync state a badge shows, a fifth each: synced, outdated (linked
 * at an older version), failed (a final error), pending (queued) and never synced. The connection
 * `connectionId` must exist and be the tenant's.
 */
export async function fiveStates(
  db: Db,
  services: Services,
  at: { tenantId: string; connectionId: string; now: number },
  invoices: readonly { id: string; version: number }[],
) {
  for (const [i, invoice] of invoices.entries()) {
    const link = {
      connection_id: at.connectionId,
      record_kind: 'invoice' as const,
      record_id: invoice.id,
      provider_id: `xero-${i}`,
      provider_version: null,
      provider_url: `https://go.xero.example/${i}`,
      line_ids: null,
    }
    if (i % 5 === 0) await syncRepo.link(db, { ...link, synced_version: invoice.version }, at.now)
    if (i % 5 === 1) await syncRepo.link(db, { ...link, synced_version: invoice.version - 1 }, at.now)
    if (i % 5 === 2)
      await syncRepo.fail(
        db,
        at.connectionId,
        'invoice',
        invoice.id,
        invoice.version,
        {
          code: 'mapping_missing',
          message: 'No account is mapped for Labour.',
          providerMessage: 'Account code 999 is not valid',
          correlationId: `corr-${i}`,
          final: true,
        },
        at.now,
      )
  }
  await services.sync.pushNow(
    at.tenantId,
    'invoice',
    invoices.filter((_, i) => i % 5 === 3).map((inv) => inv.id),
  )
}
