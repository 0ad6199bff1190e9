import { formatMinor } from '../../../shared/money.ts'
import { ProviderError } from '../provider.ts'
import type {
  AllocationInput,
  CreditNoteInput,
  CreditNoteItemResult,
  ProviderAuth,
  ProviderCreditNote,
  ProviderSync,
} from '../sync-contract.ts'
import type { XeroApiClient } from './client.ts'
import { xeroIdempotencyKey } from './client.ts'
import { XERO_FACTS } from './facts.ts'
import {
  elementError,
  elementFailed,
  fromXeroAllocation,
  fromXeroCreditNote,
  toXeroAllocation,
  toXeroCreditNote,
} from './mappers.ts'
import { xeroToMinor } from './money.ts'
import type { XeroAllocationRaw, XeroCreditNoteRaw, XeroCreditNoteVoid, XeroCreditNoteWrite } from './wire.ts'
import { AllocationsEnvelopeSchema, CreditNotesEnvelopeSchema, InvoicesEnvelopeSchema } from './wire.ts'

const PAGE_SIZE = 100
/** The `where` of one lookup before URL encoding, as for contacts: well inside an 8 KB request line. */
const MAX_WHERE_CHARS = 2000
const SALES_CREDIT = 'ACCRECCREDIT'

interface Prepared {
  note: CreditNoteInput
  body: XeroCreditNoteWrite | XeroCreditNoteVoid
}

/** [spec] Allocation carries ValidationErrors beside StatusAttributeString, so either refuses it. */
const refused = (e: XeroAllocationRaw) => elementFailed(e) || Boolean(e.ValidationErrors?.length)

/** `where` values of at most MAX_WHERE_CHARS, each matching some of these numbers. */
function numberFilters(numbers: string[]): string[] {
  const filters: string[] = []
  let clauses: string[] = []
  let length = 0
  for (const number of new Set(numbers)) {
    // Xero's filter strings are quoted and escaped as JSON strings are.
    const clause = `CreditNoteNumber==${JSON.stringify(number)}`
    if (clauses.length > 0 && length + clause.length + 4 > MAX_WHERE_CHARS) {
      filters.push(clauses.join(' OR '))
      clauses = []
      length = 0
    }
    clauses.push(clause)
    length += clause.length + 4
  }
  if (clauses.length > 0) filters.push(clauses.join(' OR '))
  return filters
}

/**
 * Sales credit notes (PROVIDERS 1.8), written as invoices are (invoices.ts). New ones go with
 * PUT /CreditNotes, which only creates, so a number that exists fails as 'conflict' for the engine
 * to look up; known ones with POST /CreditNotes by CreditNoteID, every line with its LineItemID.
 * Both with summarizeErrors=false (each element says how it fared) and unitdp=4. A voided one is
 * a POST of its CreditNoteID with Status VOIDED. Credit reaches an invoice through
 * PUT /CreditNotes/{id}/Allocations, and Xero refuses more than either document has.
 */
export function createXeroCreditNotes(api: XeroApiClient): ProviderSync['creditNotes'] {
  async function send(
    auth: ProviderAuth,
    method: 'PUT' | 'POST',
    batch: Prepared[],
    idempotencyKey: string,
  ): Promise<CreditNoteItemResult[]> {
    // API docs: https://developer.xero.com/documentation/api/accounting/creditnotes#put-creditnotes
    // API docs: https://developer.xero.com/documentation/api/accounting/creditnotes#post-creditnotes
    const { data, correlationId } = await api.write(
      auth,
      method,
      '/CreditNotes',
      { summarizeErrors: false, unitdp: 4 },
      { CreditNotes: batch.map((b) => b.body) },
      xeroIdempotencyKey(idempotencyKey, method === 'PUT' ? 'create' : 'update'),
      CreditNotesEnvelopeSchema,
    )
    if (data.CreditNotes.length !== batch.length) {
      throw new ProviderError(
        'xero',
        'validation',
        `Xero answered ${data.CreditNotes.length} credit notes for ${batch.length} sent`,
        { correlationId },
      )
    }
    // Elements come back in the order they were sent.
    return batch.map(({ note }, i): CreditNoteItemResult => {
      const element = data.CreditNotes[i]!
      if (elementFailed(element) || !element.CreditNoteID)
        return { creditNoteId: note.creditNoteId, ok: false, error: elementError(element, correlationId) }
      return {
        creditNoteId: note.creditNoteId,
        ok: true,
        creditNote: fromXeroCreditNote(element, note.currency),
      }
    })
  }

  async function read(auth: ProviderAuth, id: string): Promise<XeroCreditNoteRaw> {
    // API docs: https://developer.xero.com/documentation/api/accounting/creditnotes#get-creditnotes
    const path = `/CreditNotes/${encodeURIComponent(id)}`
    const { data } = await api.get(auth, path, { unitdp: 4 }, CreditNotesEnvelopeSchema)
    const raw = data.CreditNotes[0]
    if (!raw) throw new ProviderError('xero', 'not_found', `Xero answered no credit note ${id}`)
    return raw
  }

  /**
   * A void Xero refused because the note is no longer AUTHORISED: done already when the note is
   * VOIDED (a retry whose first answer was lost), so it answers as voided.
   */
  async function voidSettled(auth: ProviderAuth, note: CreditNoteInput, result: CreditNoteItemResult) {
    if (result.ok || !note.voided || !note.existing || result.error.kind !== 'locked') return result
    try {
      const raw = await read(auth, note.existing.id)
      if (raw.Status !== 'VOIDED') return result
      return { ...result, ok: true as const, creditNote: fromXeroCreditNote(raw, note.currency) }
    } catch (err) {
      if (err instanceof ProviderError) return result
      throw err
    }
  }

  /**
   * Xero's refusals of an allocation name no figures ("…amount is greater than amount
   * outstanding"), so one over what either document has is told again with both, as they stand at
   * Xero now; any other refusal stands as Xero gave it.
   */
  async function explain(auth: ProviderAuth, a: AllocationInput, refusal: ProviderError) {
    try {
      const note = await read(auth, a.creditNote.id)
      // API docs: https://developer.xero.com/documentation/api/accounting/invoices#get-invoices
      const path = `/Invoices/${encodeURIComponent(a.invoice.id)}`
      const invoice = (await api.get(auth, path, {}, InvoicesEnvelopeSchema)).data.Invoices[0]
      if (!invoice || note.CurrencyCode !== a.currency || invoice.CurrencyCode !== a.currency) return refusal
      const left = xeroToMinor(note.RemainingCredit, a.currency)
      const due = xeroToMinor(invoice.AmountDue, a.currency)
      if (a.amountMinor <= left && a.amountMinor <= due) return refusal
      const money = (minor: bigint) => `${formatMinor(minor, a.currency)} ${a.currency}`
      return new ProviderError(
        'xero',
        'validation',
        `Cannot allocate ${money(a.amountMinor)}: credit note ${note.CreditNoteNumber ?? a.creditNote.id} has ${money(left)} left and invoice ${invoice.InvoiceNumber ?? a.invoice.id} has ${money(due)} due (Xero: ${refusal.message})`,
        { status: refusal.status, correlationId: refusal.correlationId, cause: refusal },
      )
    } catch (err) {
      if (err instanceof ProviderError) return refusal
      throw err
    }
  }

  return {
    async upsertMany(auth, notes, idempotencyKey) {
      if (notes.length > XERO_FACTS.batchSize) {
        throw new RangeError(
          `at most ${XERO_FACTS.batchSize} credit notes per Xero request, got ${notes.length}`,
        )
      }
      const results = new Map<string, CreditNoteItemResult>()
      const ready: Prepared[] = []
      // A note Xero cannot take (a discounted line, a void of a note it never had) fails alone, unsent.
      for (const note of notes) {
        try {
          ready.push({ note, body: toXeroCreditNote(note) })
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error
          results.set(note.creditNoteId, { creditNoteId: note.creditNoteId, ok: false, error })
        }
      }
      const groups = [
        { method: 'POST' as const, batch: ready.filter((p) => p.note.existing) },
        { method: 'PUT' as const, batch: ready.filter((p) => !p.note.existing) },
      ].filter((g) => g.batch.length > 0)
      for (const [n, group] of groups.entries()) {
        try {
          for (const r of await send(auth, group.method, group.batch, idempotencyKey))
            results.set(r.creditNoteId, r)
        } catch (err) {
          // As for invoices: nothing landed, so the engine retries the whole call; after a landed
          // request, the rest carry the failure so the landed results are kept.
          if (n === 0 || !(err instanceof ProviderError)) throw err
          for (const { note } of group.batch)
            results.set(note.creditNoteId, { creditNoteId: note.creditNoteId, ok: false, error: err })
        }
      }
      const answers: CreditNoteItemResult[] = []
      for (const note of notes) answers.push(await voidSettled(auth, note, results.get(note.creditNoteId)!))
      return answers
    },

    async findByNumbers(auth, numbers) {
      const found: ProviderCreditNote[] = []
      for (const where of numberFilters(numbers)) {
        // Paged, because unpaged lists leave out LineItems (PROVIDERS 1.9). The type is checked
        // here rather than in the `where`, which has no parentheses to hold it beside the ORs.
        for (let page = 1; ; page++) {
          // API docs: https://developer.xero.com/documentation/api/accounting/creditnotes#get-creditnotes
          const { data } = await api.get(
            auth,
            '/CreditNotes',
            { where, page, pageSize: PAGE_SIZE, unitdp: 4 },
            CreditNotesEnvelopeSchema,
          )
          for (const raw of data.CreditNotes)
            if (raw.Type === SALES_CREDIT) found.push(fromXeroCreditNote(raw))
          if (!data.pagination || page >= data.pagination.pageCount) break
        }
      }
      return found
    },

    async allocate(auth, allocation, idempotencyKey) {
      const path = `/CreditNotes/${encodeURIComponent(allocation.creditNote.id)}/Allocations`
      let answer
      try {
        // API docs: https://developer.xero.com/documentation/api/accounting/creditnotes#put-creditnotes-creditnoteid-allocations
        answer = await api.write(
          auth,
          'PUT',
          path,
          { summarizeErrors: false },
          { Allocations: [toXeroAllocation(allocation)] },
          xeroIdempotencyKey(idempotencyKey, 'allocate'),
          AllocationsEnvelopeSchema,
        )
      } catch (err) {
        // Where Xero answers a refusal as a 400 ValidationException rather than an element.
        if (err instanceof ProviderError && err.kind === 'validation' && err.status === 400)
          throw await explain(auth, allocation, err)
        throw err
      }
      const { data, correlationId } = answer
      const element = data.Allocations[0]
      if (!element)
        throw new ProviderError('xero', 'validation', 'Xero answered no allocation', { correlationId })
      if (refused(element)) throw await explain(auth, allocation, elementError(element, correlationId))
      return fromXeroAllocation(element, allocation.currency, allocation.creditNote.id)
    },

    async allocations(auth, creditNote) {
      const raw = await read(auth, creditNote.id)
      const currency = raw.CurrencyCode
      if (!currency)
        throw new ProviderError('xero', 'validation', 'Xero answered a credit note without CurrencyCode')
      return (raw.Allocations ?? [])
        .filter((a) => a.IsDeleted !== true)
        .map((a) => fromXeroAllocation(a, currency, raw.CreditNoteID ?? creditNote.id))
    },
  }
}
