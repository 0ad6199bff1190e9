import { ProviderError } from '../provider.ts'
import type {
  CreditNoteInput,
  CreditNoteItemResult,
  ProviderAllocation,
  ProviderAuth,
  ProviderCreditNote,
  ProviderSync,
} from '../sync-contract.ts'
import type { SageApi } from './api.ts'
import { fromSageAllocation, fromSageCreditNote, toSageAllocation, toSageCreditNote } from './mappers.ts'
import { oneByOne } from './one-by-one.ts'
import {
  SageContactAllocationRaw,
  SageCreditNoteListItem,
  SageCreditNoteRaw,
  SagePaymentsAllocationsRaw,
} from './wire.ts'

/**
 * How many pages (of 200, newest first) the lookup after an uncertain outcome reads: as for
 * invoices, `search` covers the reference and contact name only, and Sage refuses a second credit
 * note with a taken `credit_note_number`, so one the scan misses cannot be created twice.
 */
const LOOKUP_PAGES = 5

/** Sage keeps a reason with every void (required unless the credit note is a draft). */
const VOID_REASON = 'Voided in the invoicing app (synced by LedgerLink)'

const path = (id: string) => `/sales_credit_notes/${encodeURIComponent(id)}`

/** Sage refuses to edit or void an allocated (part paid, paid) or void credit note. */
function refused(view: ProviderCreditNote, doing: 'edit' | 'void') {
  const why = view.status === 'VOID' ? 'void' : `${view.status}: allocated or refunded`
  const fix = view.status === 'VOID' ? '' : '; remove its allocations in Sage first'
  return new ProviderError(
    'sage',
    'locked',
    `Sage credit note ${view.number} is ${why}, and Sage refuses to ${doing} it${fix}`,
  )
}

/**
 * Sales credit notes, one request each (Sage has no batch and no idempotency key: the engine's
 * lookup, findByNumbers, is the guard against a duplicate), and their allocations to invoices as
 * contact_allocations (CUSTOMER_ALLOCATION). Sage refuses, with a 422 the sync reads as
 * 'validation', an allocation above what the credit note or the invoice has outstanding, one of a
 * void document or across currencies (another customer's document it does not find: 'not_found');
 * and it refuses edits and voids of an allocated credit note, which are checked before any write.
 */
export function createSageCreditNotes(api: SageApi): ProviderSync['creditNotes'] {
  async function read(auth: ProviderAuth, id: string) {
    // API docs: https://developer.sage.com/accounting/reference/invoicing-sales/#tag/Sales-Credit-Notes/operation/getSalesCreditNotesKey
    return api.get(auth, path(id), { attributes: 'all' }, SageCreditNoteRaw)
  }

  /** A void is a DELETE with a reason; one already void is done. Allocated, Sage would refuse. */
  async function voidNote(auth: ProviderAuth, id: string): Promise<ProviderCreditNote> {
    const view = fromSageCreditNote(await read(auth, id))
    if (view.status === 'VOID') return view
    if (view.locked) throw refused(view, 'void')
    // API docs: https://developer.sage.com/accounting/reference/invoicing-sales/#tag/Sales-Credit-Notes/operation/deleteSalesCreditNotesKey
    await api.remove(auth, path(id), { void_reason: VOID_REASON })
    return fromSageCreditNote(await read(auth, id))
  }

  async function upsert(auth: ProviderAuth, note: CreditNoteInput): Promise<ProviderCreditNote> {
    if (note.voided) {
      // Creating it only to void it would put a document in the books that was never issued.
      if (!note.existing)
        throw new ProviderError(
          'sage',
          'validation',
          `credit note ${note.number} was voided before it reached Sage: there is nothing there to void`,
        )
      return voidNote(auth, note.existing.id)
    }
    if (!note.existing) {
      // API docs: https://developer.sage.com/accounting/reference/invoicing-sales/#tag/Sales-Credit-Notes/operation/postSalesCreditNotes
      const body = toSageCreditNote(note)
      return fromSageCreditNote(await api.write(auth, 'POST', '/sales_credit_notes', body, SageCreditNoteRaw))
    }
    // Read first, as for invoices: an allocated or void one is refused before any write, and the
    // current line ids tell which lines to keep and which to remove.
    const current = await read(auth, note.existing.id)
    const view = fromSageCreditNote(current)
    if (view.locked) throw refused(view, 'edit')
    const body = toSageCreditNote(
      note,
      current.credit_note_lines.map((l) => l.id),
    )
    // API docs: https://developer.sage.com/accounting/reference/invoicing-sales/#tag/Sales-Credit-Notes/operation/putSalesCreditNotesKey
    return fromSageCreditNote(await api.write(auth, 'PUT', path(note.existing.id), body, SageCreditNoteRaw))
  }

  return {
    async upsertMany(auth, notes) {
      const results = await oneByOne(notes, (note) => upsert(auth, note))
      return results.map((r, n): CreditNoteItemResult =>
        r.ok
          ? { creditNoteId: notes[n]!.creditNoteId, ok: true, creditNote: r.value }
          : { creditNoteId: notes[n]!.creditNoteId, ok: false, error: r.error },
      )
    },

    async findByNumbers(auth, numbers) {
      const wanted = new Set(numbers)
      const ids: string[] = []
      let pages = 0
      // API docs: https://developer.sage.com/accounting/reference/invoicing-sales/#tag/Sales-Credit-Notes/operation/getSalesCreditNotes
      const query = { sort: 'created_at:desc', attributes: 'credit_note_number' }
      for await (const items of api.pages(auth, '/sales_credit_notes', query, SageCreditNoteListItem)) {
        for (const item of items) if (wanted.delete(item.credit_note_number)) ids.push(item.id)
        if (wanted.size === 0 || ++pages >= LOOKUP_PAGES) break
      }
      const found: ProviderCreditNote[] = []
      for (const id of ids) found.push(fromSageCreditNote(await read(auth, id)))
      return found
    },

    async allocate(auth, allocation) {
      // API docs: https://developer.sage.com/accounting/reference/payments/#tag/Contact-Allocations/operation/postContactAllocations
      const raw = await api.write(
        auth,
        'POST',
        '/contact_allocations',
        toSageAllocation(allocation),
        SageContactAllocationRaw,
      )
      const { creditNote, invoice, currency } = allocation
      const made = fromSageAllocation(raw, creditNote.id, currency).find((a) => a.invoiceId === invoice.id)
      if (!made)
        throw new ProviderError(
          'sage',
          'validation',
          `Sage recorded allocation ${raw.id} without setting credit note ${creditNote.id} against invoice ${invoice.id}`,
        )
      return made
    },

    /**
     * The credit note lists its live allocations (`payments_allocations`, shown on request), each
     * a link to its contact_allocation, which names the invoices: one read for the credit note,
     * one for each allocation. Refunds (`contact_payment`) are no allocation to an invoice.
     */
    async allocations(auth, creditNote) {
      let note
      try {
        // API docs: https://developer.sage.com/accounting/reference/invoicing-sales/#tag/Sales-Credit-Notes/operation/getSalesCreditNotesKey
        const query = { attributes: 'all', show_payments_allocations: 'true' }
        note = await api.get(auth, path(creditNote.id), query, SagePaymentsAllocationsRaw)
      } catch (err) {
        // A credit note gone (a deleted draft) has nothing allocated.
        if (err instanceof ProviderError && err.kind === 'not_found') return []
        throw err
      }
      const ids = new Set(note.payments_allocations.flatMap((p) => p.contact_allocation?.id ?? []))
      const found: ProviderAllocation[] = []
      for (const id of ids) {
        try {
          // API docs: https://developer.sage.com/accounting/reference/payments/#tag/Contact-Allocations/operation/getContactAllocationsKey
          const at = `/contact_allocations/${encodeURIComponent(id)}`
          const raw = await api.get(auth, at, { attributes: 'all' }, SageContactAllocationRaw)
          found.push(...fromSageAllocation(raw, note.id, note.currency.id))
        } catch (err) {
          // Deleted since the credit note was read: no longer live.
          if (!(err instanceof ProviderError) || err.kind !== 'not_found') throw err
        }
      }
      return found
    },
  }
}
