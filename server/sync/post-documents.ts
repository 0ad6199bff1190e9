import { formatMinor } from '../../shared/money.ts'
import type { Db } from '../db/client.ts'
import type { ConnectionRow } from '../connections/token-store.ts'
import { AppError } from '../errors.ts'
import type { ProviderAdapter, ProviderError } from '../providers/provider.ts'
import type { InvoiceInput, ProviderAuth, ProviderRef, ProviderSync } from '../providers/sync-contract.ts'
import { createChartReader } from './chart.ts'
import { createContactSync } from './contacts.ts'
import { answeredFault, contentKey, errorBody, retriesJob } from './error-body.ts'
import { buildInvoiceInput, type InvoiceForPush } from './invoice-input.ts'
import type { Job } from './job.ts'
import type { ProviderCalls } from './provider-calls.ts'
import { syncRepo, type LinkRow } from './sync-repo.ts'
import type { JobContext } from './worker.ts'

/**
 * Posting documents (invoices, credit notes) the one way both go: each lands exactly once. After
 * an attempt whose outcome is unknown, those without a link are looked up by number before
 * anything is written again; every line is mapped and the totals computed the provider's way
 * before anything is sent; batches go under keys derived from what they carry; each answer is
 * linked (with the provider's line ids, for the next update) or is that document's own error; a
 * posted total the provider computes otherwise is `total_mismatch`.
 */
export interface DocumentRow extends InvoiceForPush {
  customer_id: string
}

/** What the provider answers for a document, whatever its kind. */
interface PostedDocument extends ProviderRef {
  number: string
  lineIds: string[]
  totals: { totalMinor: bigint }
}

export type DocumentResult<P> =
  { id: string; ok: true; doc: P } | { id: string; ok: false; error: ProviderError }

/** One kind of document: its record kind, its name, and its calls on the provider. */
export interface DocumentKind<I extends { existing: ProviderRef | null; totals: { totalMinor: bigint } }, P> {
  kind: 'invoice' | 'credit_note'
  noun: 'invoice' | 'credit note'
  find(sync: ProviderSync, auth: ProviderAuth, numbers: string[]): Promise<P[]>
  upsert(sync: ProviderSync, auth: ProviderAuth, inputs: I[], key: string): Promise<DocumentResult<P>[]>
  /** The provider's input for one document, from what every document shares. */
  input(built: InvoiceInput, row: DocumentRow): I
  /** Whether the provider's total is compared with ours (a voided credit note answers none). */
  compares(input: I): boolean
}

/** True when an earlier attempt of the job may have landed unheard (a wait for room sent nothing). */
export function mayHaveLanded(job: Job): boolean {
  const waited = (job.lastError as { kind?: string } | null)?.kind === 'rate_limited'
  return job.attempts > 1 || (job.lastError !== null && !waited)
}

const money = (minor: bigint, currency: string) => `${formatMinor(minor, currency)} ${currency}`

export function createDocumentPoster(deps: { db: Db; calls: ProviderCalls; now: () => number }) {
  const { db, calls, now } = deps
  const charts = createChartReader({ db, calls, now })
  const contactsFor = createContactSync({ db, calls, now })

  /**
   * Posts `due` (documents not at the provider at their version). `skip` leaves out those that,
   * once their links are known, need nothing sent (a void credit note never posted). Throws what
   * the job retries on; everything else is recorded on its document.
   */
  return async function post<
    I extends { existing: ProviderRef | null; totals: { totalMinor: bigint }; lines: { lineId: string }[] },
    P extends PostedDocument,
    R extends DocumentRow,
  >(
    ctx: JobContext,
    conn: ConnectionRow,
    adapter: ProviderAdapter,
    sync: ProviderSync,
    spec: DocumentKind<I, P>,
    due: R[],
    skip: (row: R, linked: boolean) => boolean = () => false,
  ) {
    const ids = due.map((d) => d.id)
    const linksOf = () => syncRepo.links(db, conn.id, spec.kind, ids)
    let links: Map<string, LinkRow> = await linksOf()
    if (mayHaveLanded(ctx.job)) {
      const unlinked = due.filter((d) => !links.has(d.id))
      if (unlinked.length > 0) {
        const found = await calls.call(conn, adapter, (a) =>
          spec.find(
            sync,
            a,
            unlinked.map((d) => d.number),
          ),
        )
        await db.transaction(async (tx) => {
          for (const d of unlinked) {
            const hit = found.find((f) => f.number === d.number)
            // Found, at a version unknown: the next write updates it to ours.
            if (hit)
              await syncRepo.link(
                tx,
                {
                  connection_id: conn.id,
                  record_kind: spec.kind,
                  record_id: d.id,
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
        links = await linksOf()
      }
    }
    const toSend = due.filter((d) => !skip(d, links.has(d.id)))
    if (toSend.length === 0) return

    const chart = await charts.of(conn, adapter, sync)
    const mappings = await syncRepo.mappings(db, conn.id)
    const fail = (row: DocumentRow, err: unknown) =>
      db.transaction((tx) =>
        syncRepo.fail(tx, conn.id, spec.kind, row.id, row.version, errorBody(err, true, spec.kind), now()),
      )
    // Every new customer of the batch at once: one lookup and one create, not two calls each.
    const contacts = await contactsFor(
      conn,
      adapter,
      sync,
      toSend.map((d) => d.customer_id),
      ctx,
    )
    const inputs: { row: R; input: I }[] = []
    for (const row of toSend) {
      try {
        const contact = contacts.get(row.customer_id)
        if (!contact?.ok) throw contact?.error ?? new AppError('not_found')
        const built = buildInvoiceInput({
          invoice: row,
          contact: contact.ref,
          link: links.get(row.id),
          mappings,
          chart,
          sync,
          noun: spec.noun,
        })
        inputs.push({ row, input: spec.input(built, row) })
      } catch (err) {
        if (retriesJob(err)) throw err
        await fail(row, err)
      }
    }

    const transient: { error: ProviderError | null } = { error: null }
    for (let i = 0; i < inputs.length; i += adapter.facts.batchSize) {
      if (ctx.signal.aborted) throw new AppError('internal', { message: 'Cancelled' })
      const chunk = inputs.slice(i, i + adapter.facts.batchSize)
      // Keyed by what the request carries: a retry that skips the batches that landed sends each
      // remaining one under its own key, never under one the provider answered for another body.
      // Each adapter fits the key to its provider's length (QuickBooks hashes a long one).
      const key = ctx.idempotencyKey(`${spec.kind}s.${contentKey(chunk.map((c) => c.row))}`)
      const results = await calls.call(conn, adapter, (a) =>
        spec.upsert(
          sync,
          a,
          chunk.map((c) => c.input),
          key,
        ),
      )
      await db.transaction(async (tx) => {
        for (const result of results) {
          const item = chunk.find((c) => c.row.id === result.id)!
          const { row, input } = item
          if (!result.ok) {
            // A conflict on create is most often our own earlier write that we never heard back
            // about (another job, another process): it is looked up and linked on the next attempt.
            const again =
              result.error.kind === 'transient' ||
              result.error.kind === 'rate_limited' ||
              (result.error.kind === 'conflict' && !input.existing)
            if (again) transient.error ??= result.error
            else
              await syncRepo.fail(
                tx,
                conn.id,
                spec.kind,
                row.id,
                row.version,
                errorBody(result.error, true, spec.kind),
                now(),
              )
            continue
          }
          const p = result.doc
          const lineIds = Object.fromEntries(input.lines.map((l, n) => [l.lineId, p.lineIds[n] ?? '']))
          await syncRepo.link(
            tx,
            {
              connection_id: conn.id,
              record_kind: spec.kind,
              record_id: row.id,
              provider_id: p.id,
              provider_version: p.version ?? null,
              provider_url: p.url ?? null,
              line_ids: JSON.stringify(lineIds),
              synced_version: row.version,
            },
            now(),
          )
          if (spec.compares(input) && p.totals.totalMinor !== input.totals.totalMinor)
            await syncRepo.fail(
              tx,
              conn.id,
              spec.kind,
              row.id,
              row.version,
              {
                code: 'total_mismatch',
                message: `Posted, but your accounting software totals it ${money(p.totals.totalMinor, row.currency)} where the app says ${money(input.totals.totalMinor, row.currency)}.`,
                providerMessage: null,
                correlationId: null,
                final: true,
              },
              now(),
            )
        }
      })
    }
    // The landed ones are linked: the retry skips them and sends only the rest. The provider
    // answered (the item's failure is in its answer, and a replay would repeat it): new keys.
    if (transient.error) throw answeredFault(transient.error)
  }
}

export type DocumentPoster = ReturnType<typeof createDocumentPoster>
