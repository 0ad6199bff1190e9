import { formatMinor } from '../../shared/money.ts'
import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../logging/logger.ts'
import type { ProviderLookup } from '../connections/service.ts'
import type { ConnectionRow } from '../connections/token-store.ts'
import type { ProviderAdapter, ProviderError } from '../providers/provider.ts'
import type { ProviderSync } from '../providers/sync-contract.ts'
import { createChartReader } from './chart.ts'
import { buildInvoiceInput, type InvoiceForPush } from './invoice-input.ts'
import { syncAdapterOf, type ProviderCalls } from './provider-calls.ts'
import { syncRepo, type SyncErrorBody } from './sync-repo.ts'
import { activeConnectionOf } from './active-connection.ts'
import { createContactSync } from './contacts.ts'
import { answeredFault, contentKey, errorBody, retriesJob } from './error-body.ts'
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

const money = (minor: bigint, currency: string) => `${formatMinor(minor, currency)} ${currency}`

export function createInvoicePush(deps: {
  db: Db
  providers: ProviderLookup
  calls: ProviderCalls
  log: Logger
  now: () => number
}) {
  const { db, calls, now } = deps
  const charts = createChartReader({ db, calls, now })
  const contactsFor = createContactSync({ db, calls, now })

  /**
   * Posts these invoices of the connection, each linked with the provider's answer or failed with
   * its own error; a fault the job retries on is thrown. A payment push calls it first for invoices
   * not yet at the provider.
   */
  async function postInvoices(
    ctx: JobContext,
    conn: ConnectionRow,
    adapter: ProviderAdapter,
    sync: ProviderSync,
    invoiceIds: readonly string[],
  ) {
    const invoices = await db.all<InvoiceForPush & { customer_id: string; status: string }>(
      `SELECT id, number, reference, notes, currency, issue_date, due_date, lines, total_minor, tax_minor, push_version AS version, customer_id, status
       FROM invoices WHERE tenant_id = ? AND id IN (${invoiceIds.map(() => '?').join(', ')})`,
      [conn.tenant_id, ...invoiceIds],
    )
    let links = await syncRepo.links(db, conn.id, 'invoice', invoiceIds)
    const due = invoices.filter(
      (inv) => inv.status !== 'draft' && (links.get(inv.id)?.synced_version ?? 0) < inv.version,
    )
    if (due.length === 0) return

    // An earlier attempt may have landed without us hearing the answer: find those first. A wait
    // for room under the limits (ours, or the provider's 429) sent nothing and gives its attempt
    // back, so after one alone there is nothing to find.
    const waited = (ctx.job.lastError as { kind?: string } | null)?.kind === 'rate_limited'
    if (ctx.job.attempts > 1 || (ctx.job.lastError !== null && !waited)) {
      const unlinked = due.filter((inv) => !links.has(inv.id))
      if (unlinked.length > 0) {
        const found = await calls.call(conn, adapter, (a) =>
          sync.invoices.findByNumbers(
            a,
            unlinked.map((i) => i.number),
          ),
        )
        await db.transaction(async (tx) => {
          for (const inv of unlinked) {
            const hit = found.find((f) => f.number === inv.number)
            if (hit)
              await syncRepo.link(
                tx,
                {
                  connection_id: conn.id,
                  record_kind: 'invoice',
                  record_id: inv.id,
                  provider_id: hit.id,
                  provider_version: hit.version ?? null,
                  provider_url: hit.url ?? null,
                  line_ids: null,
                  synced_version: 0,
                },
                now(),
              )
          }
        })
        links = await syncRepo.links(db, conn.id, 'invoice', invoiceIds)
      }
    }

    const chart = await charts.of(conn, adapter, sync)
    const mappings = await syncRepo.mappings(db, conn.id)
    const refused: { inv: InvoiceForPush; error: SyncErrorBody }[] = []
    const inputs = []
    // Every new customer of the batch at once: one lookup and one create, not two calls each.
    const contacts = await contactsFor(
      conn,
      adapter,
      sync,
      due.map((inv) => inv.customer_id),
      ctx,
    )
    for (const inv of due) {
      try {
        const contact = contacts.get(inv.customer_id)
        if (!contact?.ok) throw contact?.error ?? new AppError('not_found')
        inputs.push({
          inv,
          input: buildInvoiceInput({
            invoice: inv,
            contact: contact.ref,
            link: links.get(inv.id),
            mappings,
            chart,
            sync,
          }),
        })
      } catch (err) {
        if (retriesJob(err)) throw err
        refused.push({ inv, error: errorBody(err, true) })
      }
    }

    const transient: { error: ProviderError | null } = { error: null }
    for (let i = 0; i < inputs.length; i += adapter.facts.batchSize) {
      if (ctx.signal.aborted) throw new AppError('internal', { message: 'Cancelled' })
      const chunk = inputs.slice(i, i + adapter.facts.batchSize)
      // Keyed by what the request carries: a retry that skips the batches that landed sends each
      // remaining one under its own key, never under one the provider answered for another body.
      // Each adapter fits the key to its provider's length (QuickBooks hashes a long one).
      const key = ctx.idempotencyKey(`invoices.${contentKey(chunk.map((c) => c.inv))}`)
      const results = await calls.call(conn, adapter, (a) =>
        sync.invoices.upsertMany(
          a,
          chunk.map((c) => c.input),
          key,
        ),
      )
      await db.transaction(async (tx) => {
        for (const result of results) {
          const item = chunk.find((c) => c.inv.id === result.invoiceId)!
          if (!result.ok) {
            // A conflict on create is most often our own earlier write that we never heard back
            // about (another job, another process): it is looked up and linked on the next attempt.
            const again =
              result.error.kind === 'transient' ||
              result.error.kind === 'rate_limited' ||
              (result.error.kind === 'conflict' && !item.input.existing)
            if (again) transient.error ??= result.error
            else
              await syncRepo.fail(
                tx,
                conn.id,
                'invoice',
                item.inv.id,
                item.inv.version,
                errorBody(result.error, true),
                now(),
              )
            continue
          }
          const p = result.invoice
          const lineIds = Object.fromEntries(item.input.lines.map((l, n) => [l.lineId, p.lineIds[n] ?? '']))
          await syncRepo.link(
            tx,
            {
              connection_id: conn.id,
              record_kind: 'invoice',
              record_id: item.inv.id,
              provider_id: p.id,
              provider_version: p.version ?? null,
              provider_url: p.url ?? null,
              line_ids: JSON.stringify(lineIds),
              synced_version: item.inv.version,
            },
            now(),
          )
          if (p.totals.totalMinor !== item.input.totals.totalMinor)
            await syncRepo.fail(
              tx,
              conn.id,
              'invoice',
              item.inv.id,
              item.inv.version,
              {
                code: 'total_mismatch',
                message: `Posted, but your accounting software totals it ${money(p.totals.totalMinor, item.inv.currency)} where the app says ${money(item.input.totals.totalMinor, item.inv.currency)}.`,
                providerMessage: null,
                correlationId: null,
                final: true,
              },
              now(),
            )
        }
      })
    }
    if (refused.length > 0)
      await db.transaction(async (tx) => {
        for (const { inv, error } of refused)
          await syncRepo.fail(tx, conn.id, 'invoice', inv.id, inv.version, error, now())
      })
    // The landed ones are linked: the retry skips them and sends only the rest. The provider
    // answered (the item's failure is in its answer, and a replay would repeat it): new keys.
    if (transient.error) throw answeredFault(transient.error)
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
