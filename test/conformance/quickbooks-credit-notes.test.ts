import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type {
  AllocationInput,
  CreditNoteInput,
  ProviderAuth,
  ProviderCreditNote,
  ProviderInvoice,
  ProviderSync,
} from '../../server/providers/sync-contract.ts'
import { DEFAULT_COMPANY } from '../emulators/quickbooks/index.ts'
import type { QuickBooksEmulator } from '../emulators/quickbooks/index.ts'
import { expectKind } from './conformance.ts'
import { pushOneInvoice } from './invoices.ts'
import { connectQuickBooksSync, quickBooksInvoice } from './quickbooks-harness.ts'

/**
 * Credit notes of the QuickBooks adapter against its emulator, set up as quickbooks-sync.test.ts
 * is: a UK company (VAT codes per line) with multicurrency on. Every outcome is checked at the
 * emulator too (the CreditMemo, its RemainingCredit, the invoice's Balance, the zero Payments).
 */
const REALM = DEFAULT_COMPANY.realmId
let emu: QuickBooksEmulator
let sync: ProviderSync
let auth: ProviderAuth
let seq = 0

beforeAll(async () => {
  ;({ emu, sync, auth } = await connectQuickBooksSync())
})
afterAll(() => emu.close())
// A few batches a case: keep under QBO's 40 batches a minute by letting the emulator's minute pass.
beforeEach(() => emu.control.clock.advance(60_000))

const company = () => emu.control.company(REALM)
const memoAt = (note: { id: string }) => company().get('CreditMemo', note.id)
const balanceOf = (invoice: ProviderInvoice) => company().get('Invoice', invoice.id)!.Balance
const requestCount = () => emu.control.requests(REALM).length
/** What was asked since `n`: 'batch', the entity a query reads, or the path's last segment. */
const since = (n: number) =>
  emu.control
    .requests(REALM)
    .slice(n)
    .map((r) =>
      r.path.endsWith('/batch')
        ? 'batch'
        : (r.query.query?.split(' where ')[0] ?? r.path.split('/').at(-1) ?? r.path),
    )

type Line = { quantity: string; unitPrice: string; taxRate?: string | null }
const TAX_CODE: Record<string, string> = { '20': '2', '5': '3', '0': '4' }

/** A credit note whose totals are the adapter's own totals(), as the engine builds it. */
function note(lines: Line[], o: Partial<CreditNoteInput> = {}): CreditNoteInput {
  const n = ++seq
  const currency = o.currency ?? 'GBP'
  const amounts = o.amounts ?? 'tax_exclusive'
  const wanted = lines.map((l) => ({
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discountRate: null,
    discountMinor: null,
    taxRate: l.taxRate === undefined ? '20' : l.taxRate,
  }))
  const totals = sync.totals({ currency, amounts, lines: wanted })
  return {
    creditNoteId: `cn_${n}`,
    number: `CN-${n}`,
    reference: `RMA-${n}`,
    contact: { id: '1' },
    currency,
    issueDate: '2026-11-20',
    amounts,
    notes: 'Returned goods',
    lines: wanted.map((w, i) => ({
      ...w,
      lineId: `cnl_${n}_${i}`,
      providerLineId: null,
      description: `Credit ${i + 1}`,
      accountRef: '1',
      taxRateRef: w.taxRate === null ? null : TAX_CODE[w.taxRate]!,
      itemRef: '1',
      netMinor: totals.lines[i]!.netMinor,
      taxMinor: totals.lines[i]!.taxMinor,
    })),
    totals: { subtotalMinor: totals.subtotalMinor, taxMinor: totals.taxMinor, totalMinor: totals.totalMinor },
    existing: null,
    voided: false,
    ...o,
  }
}

async function push(input: CreditNoteInput, key = `job-${input.creditNoteId}`) {
  const [result] = await sync.creditNotes.upsertMany(auth, [input], key)
  if (!result?.ok) throw result?.error ?? new Error('no result')
  return result.creditNote
}

/** The same credit note changed by the host: an update of what was pushed, keeping its lines. */
const edited = (input: CreditNoteInput, pushed: ProviderCreditNote, o: Partial<CreditNoteInput> = {}) => ({
  ...input,
  existing: { id: pushed.id, version: pushed.version ?? null },
  lines: input.lines.map((l, i) => ({ ...l, providerLineId: pushed.lineIds[i] ?? null })),
  ...o,
})

/** An invoice of one 100.00 line at 20% VAT (120.00 due) to the same customer. */
async function invoice(unitPrice = '100') {
  const n = ++seq
  const input = quickBooksInvoice(
    sync,
    { invoiceId: `inv_c${n}`, number: `INV-C${n}`, lineId: `line_c${n}` },
    { unitPrice },
  )
  return pushOneInvoice(sync, auth, input, `job-${input.invoiceId}`)
}

/** A credit note of one 50.00 line at 20% VAT: 60.00 of credit. */
const credit60 = () => push(note([{ quantity: '1', unitPrice: '50' }]))

const allocation = (
  memo: ProviderCreditNote,
  inv: ProviderInvoice,
  amountMinor: bigint,
): AllocationInput => ({
  creditNote: { id: memo.id },
  invoice: { id: inv.id },
  contact: { id: '1' },
  currency: 'GBP',
  amountMinor,
  date: '2026-11-21',
})

describe('QuickBooks credit notes: upsertMany and findByNumbers', () => {
  it('creates a credit memo with VAT lines in one batch: its totals are the adapter’s own', async () => {
    const input = note([
      { quantity: '2', unitPrice: '49.995' },
      { quantity: '1.5', unitPrice: '10' },
      { quantity: '1', unitPrice: '3.33', taxRate: '5' },
    ])
    const before = requestCount()
    const created = await push(input, 'job-cn-create')
    expect(created).toMatchObject({
      number: input.number,
      status: 'open',
      locked: false,
      totals: input.totals,
      remainingMinor: input.totals.totalMinor,
      lineIds: ['1', '2', '3'],
    })
    expect(since(before)).toEqual(['batch'])
    const sent = emu.control.requests(REALM).at(-1)!
    expect(sent.query).toMatchObject({ minorversion: '75', requestid: 'job-cn-create' })
    const [item] = (JSON.parse(sent.body) as { BatchItemRequest: Record<string, unknown>[] }).BatchItemRequest
    expect(item).toMatchObject({
      operation: 'create',
      CreditMemo: {
        GlobalTaxCalculation: 'TaxExcluded',
        Line: [
          {
            DetailType: 'SalesItemLineDetail',
            SalesItemLineDetail: { ItemRef: { value: '1' }, TaxCodeRef: { value: '2' } },
          },
          {},
          { SalesItemLineDetail: { TaxCodeRef: { value: '3' } } },
        ],
      },
    })
    expect(memoAt(created)).toMatchObject({
      DocNumber: input.number,
      CustomerRef: { value: '1' },
      CurrencyRef: { value: 'GBP' },
      PrivateNote: `Reference: ${input.reference!}`,
      CustomerMemo: { value: 'Returned goods' },
      TxnTaxDetail: { TotalTax: Number(input.totals.taxMinor) / 100 },
      TotalAmt: Number(input.totals.totalMinor) / 100,
      RemainingCredit: Number(input.totals.totalMinor) / 100,
    })

    const inclusive = note(
      [
        { quantity: '1', unitPrice: '100' },
        { quantity: '3', unitPrice: '0.335', taxRate: '5' },
        { quantity: '2', unitPrice: '7', taxRate: null },
      ],
      { amounts: 'tax_inclusive' },
    )
    const pushed = await push(inclusive)
    expect(pushed.totals).toEqual(inclusive.totals)
    expect(memoAt(pushed)).toMatchObject({ GlobalTaxCalculation: 'TaxInclusive' })
  })

  it('updates sparsely keeping the Line.Ids; re-reads a SyncToken moved in QuickBooks once', async () => {
    const input = note([
      { quantity: '1', unitPrice: '20' },
      { quantity: '2', unitPrice: '5', taxRate: '5' },
    ])
    const created = await push(input)
    const changed = edited(
      note(
        [
          { quantity: '3', unitPrice: '20' },
          { quantity: '2', unitPrice: '5', taxRate: '5' },
        ],
        { number: input.number, creditNoteId: input.creditNoteId },
      ),
      created,
    )
    const updated = await push(changed, 'job-cn-update')
    expect(updated).toMatchObject({ id: created.id, lineIds: created.lineIds, totals: changed.totals })
    expect(Number(updated.version)).toBe(Number(created.version) + 1)
    const sent = JSON.parse(emu.control.requests(REALM).at(-1)!.body) as {
      BatchItemRequest: { operation: string; CreditMemo: { sparse: boolean; Line: { Id: string }[] } }[]
    }
    expect(sent.BatchItemRequest[0]).toMatchObject({ operation: 'update', CreditMemo: { sparse: true } })
    expect(sent.BatchItemRequest[0]!.CreditMemo.Line.map((l) => l.Id)).toEqual(created.lineIds)
    expect((memoAt(created)!.Line as { Id?: string }[]).slice(0, 2).map((l) => l.Id)).toEqual(created.lineIds)
    expect(
      company()
        .list('CreditMemo')
        .filter((c) => c.DocNumber === input.number),
    ).toHaveLength(1)

    // Someone edits it in QuickBooks: our SyncToken is stale (5010); one re-read, one retry.
    const stored = memoAt(created)!
    emu.control.write(REALM, 'creditmemo', { ...stored, sparse: true, PrivateNote: 'edited in QBO' })
    const again = edited({ ...changed, notes: 'Returned again' }, updated)
    const before = requestCount()
    const retried = await push(again, 'job-cn-stale')
    expect(since(before)).toEqual(['batch', 'select * from CreditMemo', 'batch'])
    const [a, , b] = emu.control.requests(REALM).slice(before)
    expect(b!.query.requestid).not.toBe(a!.query.requestid)
    expect(Number(retried.version)).toBe(Number(updated.version) + 2)
    expect(memoAt(created)).toMatchObject({ CustomerMemo: { value: 'Returned again' } })
  })

  it('voids by deleting (QBO has no void for a CreditMemo); again answers it deleted', async () => {
    const input = note([{ quantity: '1', unitPrice: '10' }])
    const created = await push(input)
    const before = requestCount()
    const gone = await push(edited(input, created, { voided: true }), 'job-cn-void')
    expect(gone).toMatchObject({ id: created.id, status: 'deleted', locked: true, remainingMinor: 0n })
    expect(since(before)).toEqual(['select * from CreditMemo', 'batch'])
    const sent = JSON.parse(emu.control.requests(REALM).at(-1)!.body) as { BatchItemRequest: unknown[] }
    expect(sent.BatchItemRequest).toEqual([
      { bId: '0', operation: 'delete', CreditMemo: { Id: created.id, SyncToken: created.version } },
    ])
    expect(memoAt(created)).toBeUndefined()

    // Voided again (its answer lost, another key): nothing to send.
    const after = requestCount()
    expect(await push(edited(input, created, { voided: true }), 'job-cn-void-2')).toMatchObject({
      status: 'deleted',
    })
    expect(since(after)).toEqual(['select * from CreditMemo'])

    const [never] = await sync.creditNotes.upsertMany(auth, [note([], { voided: true })], 'job-cn-void-3')
    expect(never).toMatchObject({ ok: false, error: { kind: 'not_found' } })
  })

  it('lands the good items of a batch and fails the bad one with its own message', async () => {
    const good = note([{ quantity: '1', unitPrice: '1' }])
    const base = note([{ quantity: '1', unitPrice: '1' }])
    const bad = { ...base, lines: [{ ...base.lines[0]!, itemRef: '999' }] }
    // Refused before sending: QBO keeps amounts to the cent.
    const yen = { ...note([{ quantity: '1', unitPrice: '1' }]), currency: 'JPY' }
    const results = await sync.creditNotes.upsertMany(auth, [good, bad, yen], 'job-cn-mixed')
    const sent = JSON.parse(emu.control.requests(REALM).at(-1)!.body) as {
      BatchItemRequest: { bId: string }[]
    }
    expect(sent.BatchItemRequest.map((i) => i.bId)).toEqual(['0', '1'])
    expect(results.map((r) => [r.creditNoteId, r.ok])).toEqual([
      [good.creditNoteId, true],
      [bad.creditNoteId, false],
      [yen.creditNoteId, false],
    ])
    expect(results[1]).toMatchObject({ error: { kind: 'validation', message: /^2500 Invalid Reference Id/ } })
    expect(results[2]).toMatchObject({
      error: { kind: 'validation', message: /keeps amounts to 2 decimals/ },
    })
  })

  it('finds credit memos by number, 30 numbers a query', async () => {
    const a = await credit60()
    const b = await push(note([{ quantity: '2', unitPrice: '7.5', taxRate: '5' }]))
    const numbers = [a.number, ...Array.from({ length: 29 }, (_, i) => `CN-none-${i}`), b.number]
    const before = requestCount()
    const found = await sync.creditNotes.findByNumbers(auth, numbers)
    expect(since(before)).toEqual(['select * from CreditMemo', 'select * from CreditMemo'])
    expect(found.map((f) => [f.id, f.number, f.totals, f.remainingMinor])).toEqual([
      [a.id, a.number, a.totals, a.totals.totalMinor],
      [b.id, b.number, b.totals, b.totals.totalMinor],
    ])
  })
})

describe('QuickBooks credit notes: allocate and allocations', () => {
  it('sets a credit memo against an invoice with a Payment of 0; both balances move', async () => {
    const inv = await invoice()
    const memo = await credit60()
    const before = requestCount()
    const made = await sync.creditNotes.allocate(auth, allocation(memo, inv, 6000n), 'job-alloc-full')
    const pay = company().get('Payment', made.id!)!
    expect(made).toEqual({ id: pay.Id, creditNoteId: memo.id, invoiceId: inv.id, amountMinor: 6000n })
    expect(since(before)).toEqual(['select * from CreditMemo', 'select * from Invoice', 'payment'])
    expect(emu.control.requests(REALM).at(-1)!.query).toMatchObject({ requestid: 'job-alloc-full' })
    expect(pay).toMatchObject({
      CustomerRef: { value: '1' },
      TotalAmt: 0,
      UnappliedAmt: 0,
      TxnDate: '2026-11-21',
      Line: [
        { Amount: 60, LinkedTxn: [{ TxnId: inv.id, TxnType: 'Invoice' }] },
        { Amount: 60, LinkedTxn: [{ TxnId: memo.id, TxnType: 'CreditMemo' }] },
      ],
    })
    expect(balanceOf(inv)).toBe(60)
    expect(memoAt(memo)).toMatchObject({
      RemainingCredit: 0,
      LinkedTxn: [{ TxnId: pay.Id, TxnType: 'Payment' }],
    })

    const [seen] = await sync.creditNotes.findByNumbers(auth, [memo.number])
    expect(seen).toMatchObject({ status: 'allocated', locked: true, remainingMinor: 0n })
    // An allocation moves no money: it is not one of the invoice's payments.
    expect(await sync.payments.findForInvoices(auth, [inv.id])).toEqual([])

    // Used up: an edit is 'locked' and a void is refused, the credit memo stays.
    const input = note([{ quantity: '1', unitPrice: '50' }], { number: memo.number })
    const [edit] = await sync.creditNotes.upsertMany(auth, [edited(input, memo)], 'job-alloc-edit')
    expect(edit).toMatchObject({ ok: false, error: { kind: 'locked' } })
    const [voided] = await sync.creditNotes.upsertMany(
      auth,
      [edited(input, memo, { voided: true })],
      'job-alloc-void',
    )
    expect(voided).toMatchObject({
      ok: false,
      error: { kind: 'locked', message: /has GBP 60\.00 set against invoices/ },
    })
    expect(memoAt(memo)).toBeDefined()
  })

  it('makes two part allocations to two invoices; allocations lists both; an edit re-reads its SyncToken', async () => {
    const a = await invoice()
    const b = await invoice()
    const input = note([{ quantity: '1', unitPrice: '50' }])
    const memo = await push(input)
    const first = await sync.creditNotes.allocate(auth, allocation(memo, a, 2000n), 'job-alloc-part-1')
    const second = await sync.creditNotes.allocate(auth, allocation(memo, b, 3000n), 'job-alloc-part-2')
    expect(second.id).not.toBe(first.id)
    expect([balanceOf(a), balanceOf(b)]).toEqual([100, 90])
    expect(memoAt(memo)).toMatchObject({ RemainingCredit: 10 })
    expect(await sync.creditNotes.allocations(auth, memo)).toEqual([first, second])

    const [seen] = await sync.creditNotes.findByNumbers(auth, [memo.number])
    expect(seen).toMatchObject({ status: 'partly_allocated', locked: false, remainingMinor: 1000n })
    // Each allocation moved the SyncToken: the update re-reads it once and lands.
    const before = requestCount()
    const updated = await push(edited({ ...input, notes: 'Part used' }, memo), 'job-alloc-part-edit')
    expect(since(before)).toEqual(['batch', 'select * from CreditMemo', 'batch'])
    expect(updated.remainingMinor).toBe(1000n)
  })

  it('refuses more than the credit left or the invoice has due, naming both amounts; nothing is sent', async () => {
    const inv = await invoice()
    const small = await invoice('10')
    const memo = await credit60()
    const count = company().list('Payment').length
    const before = requestCount()
    const over = await expectKind(
      sync.creditNotes.allocate(auth, allocation(memo, inv, 6001n), 'job-alloc-over-credit'),
      'validation',
    )
    expect(over.message).toBe(
      `An allocation of GBP 60.01 is more than credit memo ${memo.number} has left (GBP 60.00) ` +
        `or invoice ${inv.number} has due (GBP 120.00) in QuickBooks`,
    )
    const due = await expectKind(
      sync.creditNotes.allocate(auth, allocation(memo, small, 1201n), 'job-alloc-over-due'),
      'validation',
    )
    expect(due.message).toMatch(/has left \(GBP 60\.00\) or invoice INV-C\d+ has due \(GBP 12\.00\)/)
    await expectKind(
      sync.creditNotes.allocate(auth, allocation(memo, inv, 0n), 'job-alloc-zero'),
      'validation',
    )
    expect(since(before)).not.toContain('payment')
    expect(company().list('Payment')).toHaveLength(count)
    expect([balanceOf(inv), balanceOf(small)]).toEqual([120, 12])
    expect(memoAt(memo)).toMatchObject({ RemainingCredit: 60 })
  })

  it('allocates once when replayed with the same key, even after a lost answer', async () => {
    const inv = await invoice()
    const memo = await credit60()
    const count = company().list('Payment').length
    const first = await sync.creditNotes.allocate(auth, allocation(memo, inv, 6000n), 'job-alloc-replay')
    const before = requestCount()
    const again = await sync.creditNotes.allocate(auth, allocation(memo, inv, 6000n), 'job-alloc-replay')
    expect(again).toEqual(first)
    // Found as ours among the credit's payments (it has nothing left, so a check would refuse it).
    expect(since(before)).toEqual(['select * from CreditMemo', 'select * from Payment'])
    expect(company().list('Payment')).toHaveLength(count + 1)
    expect(balanceOf(inv)).toBe(60)

    const other = await credit60()
    emu.control.injectFault({ kind: 'drop_after' })
    await expectKind(
      sync.creditNotes.allocate(auth, allocation(other, inv, 1500n), 'job-alloc-lost'),
      'transient',
    )
    const retried = await sync.creditNotes.allocate(auth, allocation(other, inv, 1500n), 'job-alloc-lost')
    expect(company().list('Payment')).toHaveLength(count + 2)
    expect(retried).toMatchObject({ creditNoteId: other.id, amountMinor: 1500n })
    expect([balanceOf(inv), memoAt(other)!.RemainingCredit]).toEqual([45, 45])
  })

  it('lists the live allocations: not a deleted or voided payment; credit set in QuickBooks with money', async () => {
    const a = await invoice()
    const b = await invoice()
    const c = await invoice()
    const memo = await credit60()
    const kept = await sync.creditNotes.allocate(auth, allocation(memo, a, 1000n), 'job-alloc-list-1')
    const removed = await sync.creditNotes.allocate(auth, allocation(memo, a, 2000n), 'job-alloc-list-2')
    const voided = await sync.creditNotes.allocate(auth, allocation(memo, b, 1500n), 'job-alloc-list-3')
    for (const [p, op] of [
      [removed, 'delete'],
      [voided, 'void'],
    ] as const) {
      const stored = company().get('Payment', p.id!)!
      emu.control.write(REALM, 'payment', { Id: stored.Id, SyncToken: stored.SyncToken }, op)
    }
    // In QuickBooks: 100.00 received for invoice C, the rest of it (20.00) from the credit memo.
    const mixed = emu.control.write(REALM, 'payment', {
      CustomerRef: { value: '1' },
      TotalAmt: 100,
      DepositToAccountRef: { value: '35' },
      Line: [
        { Amount: 120, LinkedTxn: [{ TxnId: c.id, TxnType: 'Invoice' }] },
        { Amount: 20, LinkedTxn: [{ TxnId: memo.id, TxnType: 'CreditMemo' }] },
      ],
    })
    expect(await sync.creditNotes.allocations(auth, memo)).toEqual([
      kept,
      { id: mixed.Id, creditNoteId: memo.id, invoiceId: c.id, amountMinor: 2000n },
    ])
    expect(memoAt(memo)).toMatchObject({ RemainingCredit: 30 })
    // Its money is a payment of invoice C; the credit in it is not.
    expect(await sync.payments.findForInvoices(auth, [c.id])).toMatchObject([
      { id: mixed.Id, invoiceId: c.id, amountMinor: 10000n },
    ])
    expect(await sync.creditNotes.allocations(auth, { id: '999999' })).toEqual([])
  })
})
