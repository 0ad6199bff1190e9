import { z } from 'zod'
import { formatMinor } from '../../../shared/money.ts'
import type { ProviderErrorKind } from '../provider.ts'
import { ProviderError } from '../provider.ts'
import type {
  AllocationInput,
  CreditNoteInput,
  CreditNoteItemResult,
  ProviderAuth,
  ProviderCreditNote,
  ProviderRef,
  ProviderSync,
} from '../sync-contract.ts'
import type { CompanyApi } from './company.ts'
import { createBatch, type ItemAnswer } from './customer-writes.ts'
import { QUICKBOOKS_FACTS } from './facts.ts'
import {
  amountToCents,
  fromQboAllocations,
  fromQboCreditMemo,
  isAllocationOf,
  toQboAllocation,
  toQboCreditMemo,
} from './mappers.ts'
import { queryByIds, queryWhereIn, realmAuth, requestIdFor, SINGLE_REQUEST_ID_MAX } from './queries.ts'
import { assertCurrencyFits } from './totals.ts'
import type { QboCreditMemoRaw, QboInvoiceRaw } from './wire.ts'
import { CreditMemoRawSchema, InvoiceRawSchema, PaymentRawSchema } from './wire.ts'

const BATCH_REQUEST_ID_MAX = QUICKBOOKS_FACTS.idempotency.maxLength ?? 36
const PaymentAnswerSchema = z.looseObject({ Payment: PaymentRawSchema })

type Written = { ok: true; note: ProviderCreditNote } | { ok: false; error: ProviderError; stale: boolean }

const fail = (kind: ProviderErrorKind, message: string): Written => ({
  ok: false,
  error: new ProviderError('quickbooks', kind, message),
  stale: false,
})
const refuse = (kind: ProviderErrorKind, message: string) => new ProviderError('quickbooks', kind, message)
const money = (minor: bigint, currency: string) => `${currency} ${formatMinor(minor, currency)}`

/** A deleted credit memo: nothing of it is left in QuickBooks, so no totals and no credit. */
const deleted = (input: CreditNoteInput): Written => ({
  ok: true,
  note: {
    id: input.existing!.id,
    version: null,
    number: input.number,
    status: 'deleted',
    lineIds: [],
    totals: { subtotalMinor: 0n, taxMinor: 0n, totalMinor: 0n },
    remainingMinor: 0n,
    locked: true,
  },
})

/**
 * Why a credit memo, as QBO now holds it, is not written: an update of one fully used is 'locked'
 * as a paid invoice is; a void of one set against any invoice is 'locked' too, since deleting it
 * would take that credit back from invoices the host sees as settled.
 */
function refusal(input: CreditNoteInput, raw: QboCreditMemoRaw): Written | null {
  const seen = fromQboCreditMemo(raw)
  const used = seen.totals.totalMinor - seen.remainingMinor
  if (input.voided && used !== 0n)
    return fail(
      'locked',
      `Credit memo ${seen.number} has ${money(used, input.currency)} set against invoices in QuickBooks; ` +
        'remove those allocations before voiding it',
    )
  if (!input.voided && seen.locked)
    return fail(
      'locked',
      `Credit memo ${seen.number} is ${seen.status} in QuickBooks and can no longer be changed`,
    )
  return null
}

/**
 * One batch item. The API has no void for a CreditMemo (PROVIDERS 2.3 names `operation=void` for
 * invoices; node-quickbooks voids only invoices and payments; the emulator answers 500 Unsupported
 * Operation), so a voided credit note is deleted. No include=allowduplicatedocnum, as invoices send
 * none: where the company refuses a duplicate DocNumber QBO answers 6140, a 'conflict' (faults.ts).
 */
function itemOf(input: CreditNoteInput, syncToken: string | null, bId: string): Record<string, unknown> {
  if (input.voided)
    return { bId, operation: 'delete', CreditMemo: { Id: input.existing!.id, SyncToken: syncToken ?? '' } }
  assertCurrencyFits(input.currency)
  const operation = input.existing ? 'update' : 'create'
  return { bId, operation, CreditMemo: toQboCreditMemo(input, syncToken) }
}

function written(input: CreditNoteInput, a: ItemAnswer, bId: string): Written {
  // One already gone is deleted: a void whose first answer was lost.
  if (!a.ok) return input.voided && a.error.kind === 'not_found' ? deleted(input) : a
  if (input.voided) return deleted(input)
  const raw = CreditMemoRawSchema.safeParse(a.item.CreditMemo)
  return raw.success
    ? { ok: true, note: fromQboCreditMemo(raw.data) }
    : fail('validation', `batch item ${bId}: an answer without a CreditMemo`)
}

/**
 * Credit memos through `/batch` (PROVIDERS 2.4), every item checked, as invoices are: an update is
 * sparse at the SyncToken of our last push; a 5010 re-reads those credit memos and retries them
 * once at the current one. A void reads its credit memo first, then deletes it at that SyncToken.
 * A credit memo is set against an invoice by a Payment of 0 linking both (PROVIDERS 2.7), checked
 * here against what both have left first, since QBO documents no refusal of an over-application.
 */
export function createQuickBooksCreditNotes(company: CompanyApi): ProviderSync['creditNotes'] {
  const size = QUICKBOOKS_FACTS.batchSize
  const batch = createBatch(company)
  const byIds = async (auth: ProviderAuth, ids: string[]) =>
    new Map((await queryByIds(company, auth, 'CreditMemo', ids, CreditMemoRawSchema)).map((r) => [r.Id, r]))

  async function upsertChunk(auth: ProviderAuth, notes: CreditNoteInput[], key: string) {
    const before = await byIds(
      auth,
      notes.flatMap((n) => (n.voided && n.existing ? [n.existing.id] : [])),
    )
    const out: (Written | null)[] = notes.map((n) => {
      if (!n.voided) return null
      if (!n.existing)
        return fail('not_found', `Credit note ${n.number} was never in QuickBooks: nothing to delete`)
      const raw = before.get(n.existing.id)
      return raw ? refusal(n, raw) : deleted(n)
    })

    /** Writes these notes in one batch; bIds are their places in the chunk, so a replay answers each. */
    const send = async (indexes: number[], tokenOf: (i: number) => string | null, requestId: string) => {
      const items: Record<string, unknown>[] = []
      for (const i of indexes)
        try {
          items.push(itemOf(notes[i]!, tokenOf(i), String(i)))
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error
          out[i] = { ok: false, error, stale: false }
        }
      if (items.length === 0) return
      // API docs: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/creditmemo
      const answer = await batch(auth, items, requestId)
      for (const i of indexes) out[i] ??= written(notes[i]!, answer(String(i)), String(i))
    }

    const first = notes.flatMap((_, i) => (out[i] ? [] : [i]))
    const tokenOf = (i: number) => {
      const n = notes[i]!
      return n.voided ? before.get(n.existing!.id)!.SyncToken : (n.existing?.version ?? null)
    }
    await send(first, tokenOf, requestIdFor(key, BATCH_REQUEST_ID_MAX))

    // 5010: changed in QuickBooks since (an allocation moves the SyncToken too).
    const stale = first.filter((i) => {
      const o = out[i]
      return o?.ok === false && o.stale && notes[i]!.existing
    })
    if (stale.length === 0) return out.map((o) => o!)
    const now = await byIds(
      auth,
      stale.map((i) => notes[i]!.existing!.id),
    )
    const retry: number[] = []
    for (const i of stale) {
      const n = notes[i]!
      const raw = now.get(n.existing!.id)
      const why = raw
        ? refusal(n, raw)
        : n.voided
          ? deleted(n)
          : fail('not_found', `Credit memo ${n.existing!.id} is no longer in QuickBooks`)
      out[i] = why
      if (!why) retry.push(i)
    }
    // A different requestid: the first one would replay the stale answer (PROVIDERS 2.5).
    const retryId = requestIdFor(`${key}:stale-retry`, BATCH_REQUEST_ID_MAX)
    await send(retry, (i) => now.get(notes[i]!.existing!.id)!.SyncToken, retryId)
    return out.map((o) => o!)
  }

  /** The Payments QBO lists in the credit memo's LinkedTxn: those applying it. */
  const paymentsOf = (auth: ProviderAuth, memo: QboCreditMemoRaw) =>
    queryByIds(
      company,
      auth,
      'Payment',
      (memo.LinkedTxn ?? []).filter((t) => t.TxnType === 'Payment').map((t) => t.TxnId),
      PaymentRawSchema,
    )

  return {
    async upsertMany(auth: ProviderAuth, notes: CreditNoteInput[], idempotencyKey: string) {
      const results: CreditNoteItemResult[] = []
      for (let start = 0; start < notes.length; start += size) {
        // More than one batch only if the engine sent more than facts.batchSize: each keeps its own key.
        const key = start === 0 ? idempotencyKey : `${idempotencyKey}:${start / size}`
        const chunk = notes.slice(start, start + size)
        const out = await upsertChunk(auth, chunk, key)
        chunk.forEach((n, i) => {
          const o = out[i]!
          results.push(
            o.ok
              ? { creditNoteId: n.creditNoteId, ok: true, creditNote: o.note }
              : { creditNoteId: n.creditNoteId, ok: false, error: o.error },
          )
        })
      }
      return results
    },

    async findByNumbers(auth: ProviderAuth, numbers: string[]): Promise<ProviderCreditNote[]> {
      const found = await queryWhereIn(company, auth, 'CreditMemo', 'DocNumber', numbers, CreditMemoRawSchema)
      return found.map(fromQboCreditMemo)
    },

    async allocate(auth: ProviderAuth, a: AllocationInput, idempotencyKey: string) {
      const requestId = requestIdFor(idempotencyKey, SINGLE_REQUEST_ID_MAX)
      const memo = (await byIds(auth, [a.creditNote.id])).get(a.creditNote.id)
      if (!memo) throw refuse('not_found', `Credit memo ${a.creditNote.id} is no longer in QuickBooks`)
      // Ours already there (a retry after a lost answer): the credit left counts it, so answer it.
      const ours = (await paymentsOf(auth, memo)).find((p) => isAllocationOf(p, requestId))
      const made = ours && fromQboAllocations(ours, memo.Id).find((x) => x.invoiceId === a.invoice.id)
      if (made) return made
      const [invoice] = await queryByIds(company, auth, 'Invoice', [a.invoice.id], InvoiceRawSchema)
      if (!invoice) throw refuse('not_found', `Invoice ${a.invoice.id} is no longer in QuickBooks`)
      check(a, memo, invoice)
      // API docs: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment
      const { body } = await company.call(realmAuth(auth), 'payment', PaymentAnswerSchema, {
        body: toQboAllocation(a, requestId),
        requestId,
      })
      const allocation = fromQboAllocations(body.Payment, memo.Id).find((x) => x.invoiceId === a.invoice.id)
      if (!allocation)
        throw refuse(
          'validation',
          `Payment ${body.Payment.Id} does not set the credit memo against the invoice`,
        )
      return allocation
    },

    async allocations(auth: ProviderAuth, creditNote: ProviderRef) {
      const memo = (await byIds(auth, [creditNote.id])).get(creditNote.id)
      if (!memo) return []
      return (await paymentsOf(auth, memo)).flatMap((p) => fromQboAllocations(p, memo.Id))
    },
  }
}

/** Same customer and currency, more than zero, and never more than either document has left. */
function check(a: AllocationInput, memo: QboCreditMemoRaw, invoice: QboInvoiceRaw) {
  const credit = fromQboCreditMemo(memo)
  const number = invoice.DocNumber ?? invoice.Id
  for (const [what, doc] of [
    [`Credit memo ${credit.number}`, memo],
    [`Invoice ${number}`, invoice],
  ] as const) {
    const currency = doc.CurrencyRef?.value ?? a.currency
    if (currency !== a.currency) throw refuse('validation', `${what} is in ${currency}, not ${a.currency}`)
    const customer = doc.CustomerRef?.value ?? a.contact.id
    if (customer !== a.contact.id)
      throw refuse('validation', `${what} belongs to customer ${customer} in QuickBooks, not ${a.contact.id}`)
  }
  assertCurrencyFits(a.currency)
  if (a.amountMinor <= 0n) throw refuse('validation', 'An allocation must be more than zero')
  const due = amountToCents(invoice.Balance ?? invoice.TotalAmt)
  if (a.amountMinor > credit.remainingMinor || a.amountMinor > due)
    throw refuse(
      'validation',
      `An allocation of ${money(a.amountMinor, a.currency)} is more than credit memo ${credit.number} has left ` +
        `(${money(credit.remainingMinor, a.currency)}) or invoice ${number} has due ` +
        `(${money(due, a.currency)}) in QuickBooks`,
    )
}
