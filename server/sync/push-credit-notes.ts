import type { Db } from '../db/client.ts'
import type { ConnectionRow } from '../connections/token-store.ts'
import type { ProviderLookup } from '../connections/service.ts'
import { AppError } from '../errors.ts'
import type { ProviderAdapter } from '../providers/provider.ts'
import type { CreditNoteInput, ProviderCreditNote, ProviderSync } from '../providers/sync-contract.ts'
import { activeConnectionOf } from './active-connection.ts'
import { errorBody, invoiceNotSynced, retriesJob } from './error-body.ts'
import { createDocumentPoster, mayHaveLanded, type DocumentKind, type DocumentRow } from './post-documents.ts'
import { syncAdapterOf, type ProviderCalls } from './provider-calls.ts'
import type { PostInvoices } from './push-invoices.ts'
import { syncRepo, type SyncErrorBody } from './sync-repo.ts'
import type { JobContext } from './worker.ts'

/**
 * The `push_credit_notes` job: up to a batch of one connection's credit notes, posted as invoices
 * are (their lines, tax and totals through the same mappings, each linked once, looked up by number
 * after an unheard attempt), then each set against the invoice the host linked it to, once: the
 * invoice is posted first when the provider has not got it, and an allocation made but unheard is
 * found among the credit note's allocations before another is made. A credit note voided in the
 * app is voided there (or deleted where the provider has no void); one never posted is left alone.
 */
export interface CreditNotesPayload {
  connectionId: string
  creditNoteIds: string[]
}

interface NoteRow extends DocumentRow {
  invoice_id: string | null
  status: 'draft' | 'sent' | 'void'
}

const CREDIT_NOTE_DOCUMENTS: DocumentKind<CreditNoteInput, ProviderCreditNote> = {
  kind: 'credit_note',
  noun: 'credit note',
  find: (sync, auth, numbers) => sync.creditNotes.findByNumbers(auth, numbers),
  upsert: async (sync, auth, inputs, key) =>
    (await sync.creditNotes.upsertMany(auth, inputs, key)).map((r) =>
      r.ok
        ? { id: r.creditNoteId, ok: true, doc: r.creditNote }
        : { id: r.creditNoteId, ok: false, error: r.error },
    ),
  input: ({ invoiceId: _, dueDate: __, ...built }, row) => ({
    ...built,
    creditNoteId: row.id,
    voided: (row as NoteRow).status === 'void',
  }),
  // A voided note answers zero totals where the provider deletes it: only live ones compare.
  compares: (input) => !input.voided,
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

export function createCreditNotePush(deps: {
  db: Db
  providers: ProviderLookup
  calls: ProviderCalls
  now: () => number
  postInvoices: PostInvoices
}) {
  const { db, calls, now } = deps
  const post = createDocumentPoster(deps)

  const fail = (conn: ConnectionRow, note: NoteRow, error: SyncErrorBody) =>
    db.transaction((tx) => syncRepo.fail(tx, conn.id, 'credit_note', note.id, note.version, error, now()))

  async function load(conn: ConnectionRow, ids: readonly string[]) {
    const notes = await db.all<NoteRow>(
      `SELECT id, number, reference, notes, currency, issue_date, NULL AS due_date, lines, total_minor, tax_minor, version,
              customer_id, invoice_id, status
       FROM credit_notes WHERE tenant_id = ? AND id IN (${marks(ids.length)})`,
      [conn.tenant_id, ...ids],
    )
    const links = await syncRepo.links(db, conn.id, 'credit_note', ids)
    const allocated = new Set(
      (
        await db.all<{ credit_note_id: string }>(
          `SELECT credit_note_id FROM sync_allocations WHERE connection_id = ? AND credit_note_id IN (${marks(ids.length)})`,
          [conn.id, ...ids],
        )
      ).map((r) => r.credit_note_id),
    )
    return { notes, links, allocated }
  }

  /** Sets each posted, live, linked-to-an-invoice note against its invoice there, once. */
  async function allocate(
    ctx: JobContext,
    conn: ConnectionRow,
    adapter: ProviderAdapter,
    sync: ProviderSync,
    ids: readonly string[],
    uncertain: boolean,
  ) {
    const { notes, links, allocated } = await load(conn, ids)
    const errors = new Set(
      (
        await db.all<{ record_id: string }>(
          `SELECT record_id FROM sync_errors WHERE connection_id = ? AND record_kind = 'credit_note' AND record_id IN (${marks(ids.length)})`,
          [conn.id, ...ids],
        )
      ).map((r) => r.record_id),
    )
    const wanted = notes.filter(
      (n) =>
        n.status === 'sent' &&
        n.invoice_id &&
        !allocated.has(n.id) &&
        (links.get(n.id)?.synced_version ?? 0) >= n.version &&
        !errors.has(n.id),
    )
    if (wanted.length === 0) return
    const invoiceIds = [...new Set(wanted.map((n) => n.invoice_id!))]
    const behind = await db.all<{ id: string }>(
      `SELECT i.id FROM invoices i LEFT JOIN sync_links l ON l.connection_id = ? AND l.record_kind = 'invoice' AND l.record_id = i.id
       WHERE i.id IN (${marks(invoiceIds.length)}) AND (l.synced_version IS NULL OR l.synced_version < i.push_version)`,
      [conn.id, ...invoiceIds],
    )
    if (behind.length > 0)
      await deps.postInvoices(
        ctx,
        conn,
        adapter,
        sync,
        behind.map((b) => b.id),
      )
    const invoiceLinks = await syncRepo.links(db, conn.id, 'invoice', invoiceIds)
    const contactLinks = await syncRepo.links(
      db,
      conn.id,
      'customer',
      wanted.map((n) => n.customer_id),
    )
    for (const note of wanted) {
      if (ctx.signal.aborted) throw new AppError('internal', { message: 'Cancelled' })
      const invoice = invoiceLinks.get(note.invoice_id!)
      const contact = contactLinks.get(note.customer_id)
      const noteAt = links.get(note.id)!
      if (!invoice || !contact) {
        const number = (
          await db.get<{ number: string }>('SELECT number FROM invoices WHERE id = ?', [note.invoice_id])
        )?.number
        await fail(
          conn,
          note,
          await invoiceNotSynced(
            db,
            conn,
            note.invoice_id!,
            number ?? '',
            `credit note ${note.number} is posted but not set against it`,
          ),
        )
        continue
      }
      const record = (providerId: string | null) =>
        db.run(
          `INSERT INTO sync_allocations (connection_id, credit_note_id, invoice_id, provider_id, amount_minor, at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (connection_id, credit_note_id) DO NOTHING`,
          [conn.id, note.id, note.invoice_id, providerId, note.total_minor, now()],
        )
      const creditNote = { id: noteAt.provider_id, version: noteAt.provider_version }
      try {
        // After an unheard attempt, an allocation to this invoice may already stand.
        if (uncertain) {
          const standing = await calls.call(conn, adapter, (a) => sync.creditNotes.allocations(a, creditNote))
          const hit = standing.find((s) => s.invoiceId === invoice.provider_id)
          if (hit) {
            await record(hit.id)
            continue
          }
        }
        const made = await calls.call(conn, adapter, (a) =>
          sync.creditNotes.allocate(
            a,
            {
              creditNote,
              invoice: { id: invoice.provider_id, version: invoice.provider_version },
              contact: { id: contact.provider_id, version: contact.provider_version },
              currency: note.currency,
              amountMinor: BigInt(note.total_minor),
              date: note.issue_date,
            },
            ctx.idempotencyKey(`allocate.${note.id}.${note.version}`),
          ),
        )
        await record(made.id)
      } catch (err) {
        if (retriesJob(err)) throw err
        await fail(conn, note, errorBody(err, true, 'credit_note'))
      }
    }
  }

  return async function pushCreditNotes(ctx: JobContext) {
    const { connectionId, creditNoteIds } = ctx.job.payload as CreditNotesPayload
    const conn = await activeConnectionOf(db, connectionId)
    const { adapter, sync } = syncAdapterOf(deps.providers, conn.provider)
    const { notes, links } = await load(conn, creditNoteIds)
    const due = notes.filter(
      (n) => n.status !== 'draft' && (links.get(n.id)?.synced_version ?? 0) < n.version,
    )
    // A void credit note never posted has nothing to void there.
    if (due.length > 0)
      await post(
        ctx,
        conn,
        adapter,
        sync,
        CREDIT_NOTE_DOCUMENTS,
        due,
        (n, linked) => n.status === 'void' && !linked,
      )
    await allocate(ctx, conn, adapter, sync, creditNoteIds, mayHaveLanded(ctx.job))
    await ctx.finish(async (tx) => {
      await tx.run('UPDATE connections SET last_sync_at = ? WHERE id = ?', [now(), conn.id])
    })
  }
}
