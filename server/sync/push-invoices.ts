import type { Db } from '../db/client.ts'
import type { ConnectionRow } from '../connections/token-store.ts'
import type { ProviderLookup } from '../connections/service.ts'
import type { Logger } from '../logging/logger.ts'
import type { ProviderAdapter } from '../providers/provider.ts'
import type { InvoiceInput, ProviderInvoice, ProviderSync } from '../providers/sync-contract.ts'
import { activeConnectionOf } from './active-connection.ts'
import { createDocumentPoster, type DocumentKind, type DocumentRow } from './post-documents.ts'
import { syncAdapterOf, type ProviderCalls } from './provider-calls.ts'
import { syncRepo } from './sync-repo.ts'
import type { JobContext } from './worker.ts'

/**
 * The `push_invoices` job: up to a batch of one connection's invoices to its provider. Pushes of a
 * connection run one at a time (the job's lock key), so two invoices of a new customer never both
 * create its contact. Each invoice lands exactly once: its link is written with the provider's
 * answer; an invoice already synced at its version is skipped; after an attempt whose outcome is
 * unknown, invoices without a link are looked up by number before anything is written again.
 */
export interface PushPayload {
  connectionId: string
  invoiceIds: string[]
}

/** Posts the invoices the provider lacks, or holds older copies of (payments and credit notes call it first). */
export type PostInvoices = (
  ctx: JobContext,
  conn: ConnectionRow,
  adapter: ProviderAdapter,
  sync: ProviderSync,
  invoiceIds: readonly string[],
) => Promise<void>

export const INVOICE_DOCUMENTS: DocumentKind<InvoiceInput, ProviderInvoice> = {
  kind: 'invoice',
  noun: 'invoice',
  find: (sync, auth, numbers) => sync.invoices.findByNumbers(auth, numbers),
  upsert: async (sync, auth, inputs, key) =>
    (await sync.invoices.upsertMany(auth, inputs, key)).map((r) =>
      r.ok ? { id: r.invoiceId, ok: true, doc: r.invoice } : { id: r.invoiceId, ok: false, error: r.error },
    ),
  input: (built) => built,
  compares: () => true,
}

export function createInvoicePush(deps: {
  db: Db
  providers: ProviderLookup
  calls: ProviderCalls
  log: Logger
  now: () => number
}) {
  const { db, now } = deps
  const post = createDocumentPoster(deps)

  /**
   * Posts these invoices of the connection that are not at the provider at their push version,
   * each linked with the provider's answer or failed with its own error; a fault the job retries on
   * is thrown. Payment and credit note pushes call it first for invoices the provider lacks.
   */
  const postInvoices: PostInvoices = async (ctx, conn, adapter, sync, invoiceIds) => {
    const invoices = await db.all<DocumentRow & { status: string }>(
      `SELECT id, number, reference, notes, currency, issue_date, due_date, lines, total_minor, tax_minor, push_version AS version, customer_id, status
       FROM invoices WHERE tenant_id = ? AND id IN (${invoiceIds.map(() => '?').join(', ')})`,
      [conn.tenant_id, ...invoiceIds],
    )
    const links = await syncRepo.links(db, conn.id, 'invoice', invoiceIds)
    const due = invoices.filter(
      (inv) => inv.status !== 'draft' && (links.get(inv.id)?.synced_version ?? 0) < inv.version,
    )
    if (due.length > 0) await post(ctx, conn, adapter, sync, INVOICE_DOCUMENTS, due)
  }

  async function pushInvoices(ctx: JobContext) {
    const { connectionId, invoiceIds } = ctx.job.payload as PushPayload
    const conn = await activeConnectionOf(db, connectionId)
    const { adapter, sync } = syncAdapterOf(deps.providers, conn.provider)
    await postInvoices(ctx, conn, adapter, sync, invoiceIds)
    await ctx.finish(async (tx) => {
      await tx.run('UPDATE connections SET last_sync_at = ? WHERE id = ?', [now(), conn.id])
    })
  }
  return Object.assign(pushInvoices, { postInvoices })
}
