import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type {
  AllocationInput,
  CreditNoteInput,
  InvoiceInput,
  InvoiceLineInput,
  ProviderAuth,
  ProviderCreditNote,
  ProviderSync,
} from '../../server/providers/sync-contract.ts'
import type { SageEmulator } from '../emulators/sage/index.ts'
import { SAGE_DEMO_IDS } from '../emulators/sage/index.ts'
import { expectKind } from './conformance.ts'
import { connectSageBusiness } from './sage-harness.ts'

/**
 * The Sage adapter's credit notes against the Sage emulator: sales credit notes built as invoices
 * are (lines, VAT, totals from `sync.totals`), voided with a DELETE, and allocated to invoices
 * pushed by the adapter itself as contact_allocations, checked on the emulator's own books
 * (outstanding amounts, statuses, the allocations it holds). Setup as in sage-sync.test.ts.
 */
let emu: SageEmulator
let sync: ProviderSync
let auth: ProviderAuth

beforeAll(async () => {
  ;({ emu, sync, auth } = await connectSageBusiness())
})
afterAll(() => emu.close())
beforeEach(() => emu.control.clearRequests())

const business = () => emu.control.business(SAGE_DEMO_IDS.hartley)
const ledger = (code: number) => business().ledgerAccounts.find((a) => a.nominalCode === code)!.id
const contactId = (reference: string) =>
  [...business().contacts.values()].find((c) => c.reference === reference)!.id
const stored = (id: string) => business().artefacts.get(id)!
const liveAllocations = (creditNoteId: string) =>
  [...business().settlements.values()].filter(
    (s) =>
      s.kind === 'contact_allocation' &&
      s.deletedAt === null &&
      s.allocations.some((a) => a.artefactId === creditNoteId),
  )
const calls = (method: string) =>
  emu.control
    .requests()
    .filter((r) => r.method === method)
    .map((r) => [r.path, r.status])
const TAX = { '20': 'GB_STANDARD', '5': 'GB_REDUCED', '0': 'GB_ZERO' } as const

interface Line {
  q: string
  p: string
  tax: keyof typeof TAX
  rate?: string
  providerLineId?: string
}
let seq = 0

/** Lines and totals as the engine hands them over, figured by the adapter's own totals(). */
function document(lines: Line[], currency: string) {
  const totals = sync.totals({
    currency,
    amounts: 'tax_exclusive',
    lines: lines.map((l) => ({
      quantity: l.q,
      unitPrice: l.p,
      discountRate: l.rate ?? null,
      discountMinor: null,
      taxRate: l.tax,
    })),
  })
  return {
    lines: lines.map((l, i): InvoiceLineInput => ({
      lineId: `line_${i}`,
      providerLineId: l.providerLineId ?? null,
      description: `Line ${i + 1}`,
      quantity: l.q,
      unitPrice: l.p,
      discountRate: l.rate ?? null,
      discountMinor: null,
      accountRef: ledger(4000),
      taxRateRef: TAX[l.tax],
      itemRef: null,
      netMinor: totals.lines[i]!.netMinor,
      taxMinor: totals.lines[i]!.taxMinor,
    })),
    totals: { subtotalMinor: totals.subtotalMinor, taxMinor: totals.taxMinor, totalMinor: totals.totalMinor },
  }
}

function creditNote(
  lines: Line[],
  o: { currency?: string; contact?: string; number?: string } = {},
): CreditNoteInput {
  const currency = o.currency ?? 'GBP'
  const id = `crn_${++seq}`
  return {
    creditNoteId: id,
    number: o.number ?? `CN-${seq}`,
    reference: `ref ${id}`,
    contact: { id: contactId(o.contact ?? 'ACME001') },
    currency,
    issueDate: '2026-11-21',
    amounts: 'tax_exclusive',
    notes: 'Goods returned',
    ...document(lines, currency),
    existing: null,
    voided: false,
  }
}

async function pushNote(note: CreditNoteInput): Promise<ProviderCreditNote> {
  const [result] = await sync.creditNotes.upsertMany(auth, [note], 'ignored-by-sage')
  if (!result!.ok) throw result!.error
  return result!.creditNote
}

/** A one-line 20% invoice pushed through the adapter: 100.00 net + 20.00 VAT unless told. */
async function pushInvoice(o: { net?: string; currency?: string; contact?: string } = {}) {
  const currency = o.currency ?? 'GBP'
  const inv: InvoiceInput = {
    invoiceId: `inv_cn_${++seq}`,
    number: `LI-${seq}`,
    reference: null,
    contact: { id: contactId(o.contact ?? 'ACME001') },
    currency,
    issueDate: '2026-11-02',
    dueDate: '2026-12-02',
    amounts: 'tax_exclusive',
    notes: null,
    ...document([{ q: '1', p: o.net ?? '100', tax: '20' }], currency),
    existing: null,
  }
  const [result] = await sync.invoices.upsertMany(auth, [inv], 'ignored-by-sage')
  if (!result!.ok) throw result!.error
  return result!.invoice
}

/** A credit note of `gross` (20% VAT in it) for ACME001, pushed through the adapter. */
const pushCredit = (gross: number, o: { currency?: string; contact?: string } = {}) =>
  pushNote(creditNote([{ q: '1', p: String(gross / 1.2), tax: '20' }], o))

const allocation = (
  note: ProviderCreditNote,
  invoice: { id: string },
  amountMinor: bigint,
  o: Partial<AllocationInput> = {},
): AllocationInput => ({
  creditNote: { id: note.id },
  invoice: { id: invoice.id },
  contact: { id: stored(note.id).contactId },
  currency: stored(note.id).currencyId,
  amountMinor,
  date: '2026-11-25',
  ...o,
})

/** The Sage API as a bookkeeper's other tools reach it, for what the adapter does not do. */
const sageApi = (method: string, path: string, body?: unknown) =>
  fetch(`${emu.url}/v3.1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${auth.accessToken}`,
      'x-business': SAGE_DEMO_IDS.hartley,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })

describe('upsertMany', () => {
  it("creates a credit note with our number, its lines and VAT, at Sage's totals equal to totals()", async () => {
    const note = creditNote([
      { q: '2', p: '50', tax: '20' },
      { q: '3', p: '3.33', tax: '0' },
      { q: '1.5', p: '19.99', tax: '5', rate: '10' },
    ])
    const created = await pushNote(note)
    expect(created).toMatchObject({
      number: note.number,
      status: 'UNPAID',
      locked: false,
      remainingMinor: note.totals.totalMinor,
    })
    expect(created.totals).toEqual(note.totals)
    expect(created.lineIds).toHaveLength(3)
    const kept = stored(created.id)
    expect(kept).toMatchObject({
      kind: 'sales_credit_note',
      number: note.number,
      contactId: note.contact.id,
      currencyId: 'GBP',
      date: '2026-11-21',
      reference: note.reference,
      notes: 'Goods returned',
      outstandingMinor: Number(note.totals.totalMinor),
    })
    expect(kept.lines.map((l) => [BigInt(l.netMinor), BigInt(l.taxMinor), l.taxRateId])).toEqual(
      note.lines.map((l) => [l.netMinor, l.taxMinor, l.taxRateRef]),
    )
    const [post, ...others] = emu.control.requests().filter((r) => r.method === 'POST')
    expect(others).toEqual([])
    expect([post!.path, post!.status]).toEqual(['/v3.1/sales_credit_notes', 201])
    const body = JSON.parse(post!.body) as { sales_credit_note: Record<string, unknown> }
    expect(body.sales_credit_note).toMatchObject({
      contact_id: note.contact.id,
      credit_note_number: note.number,
      currency_id: 'GBP',
    })
    expect(body.sales_credit_note.credit_note_lines).toEqual([
      expect.objectContaining({
        ledger_account_id: ledger(4000),
        tax_rate_id: 'GB_STANDARD',
        tax_amount: 20,
      }),
      expect.objectContaining({ quantity: 3, unit_price: 3.33, tax_rate_id: 'GB_ZERO', tax_amount: 0 }),
      expect.objectContaining({ discount_percentage: 10, discount_amount: 3, tax_amount: 1.35 }),
    ])
  })

  it('updates in place with PUT: kept lines keep their Sage ids, a dropped one goes', async () => {
    const first = creditNote([
      { q: '1', p: '40', tax: '20' },
      { q: '1', p: '10', tax: '20' },
    ])
    const created = await pushNote(first)
    const [a] = created.lineIds
    const edit: CreditNoteInput = {
      ...first,
      ...document(
        [
          { q: '2', p: '40', tax: '20', providerLineId: a! },
          { q: '1', p: '7.5', tax: '5' },
        ],
        'GBP',
      ),
      notes: 'Two returned',
      existing: { id: created.id },
    }
    const updated = await pushNote(edit)
    expect(updated).toMatchObject({
      id: created.id,
      number: first.number,
      remainingMinor: edit.totals.totalMinor,
    })
    expect(updated.totals).toEqual(edit.totals)
    expect(updated.lineIds[0]).toBe(a)
    expect(created.lineIds).not.toContain(updated.lineIds[1])
    expect(stored(created.id)).toMatchObject({
      notes: 'Two returned',
      totalMinor: Number(edit.totals.totalMinor),
    })
    expect(stored(created.id).lines).toHaveLength(2)
    expect(calls('PUT')).toEqual([[`/v3.1/sales_credit_notes/${created.id}`, 200]])
  })

  it("a number already taken in Sage is refused in Sage's words, and the rest of the batch lands", async () => {
    const taken = await pushCredit(12)
    const twin = creditNote([{ q: '1', p: '1', tax: '20' }], { number: stored(taken.id).number })
    const good = creditNote([{ q: '1', p: '2', tax: '20' }])
    const results = await sync.creditNotes.upsertMany(auth, [twin, good], 'k')
    expect(results.map((r) => [r.creditNoteId, r.ok])).toEqual([
      [twin.creditNoteId, false],
      [good.creditNoteId, true],
    ])
    const refused = results[0] as Extract<(typeof results)[number], { ok: false }>
    expect(refused.error.kind).toBe('validation')
    expect(refused.error.message).toBe(
      'RecordInvalid: Credit note number has already been taken. (credit_note_number)',
    )
  })

  it('voids with a DELETE and a void_reason; voiding again sends nothing more', async () => {
    const note = creditNote([{ q: '1', p: '30', tax: '20' }])
    const created = await pushNote(note)
    const voiding = { ...note, existing: { id: created.id }, voided: true }
    const voided = await pushNote(voiding)
    expect(voided).toMatchObject({ id: created.id, status: 'VOID', locked: true, remainingMinor: 0n })
    expect(stored(created.id)).toMatchObject({ status: 'VOID', outstandingMinor: 0 })
    expect(stored(created.id).voidReason).toMatch(/LedgerLink/)
    const [del, ...more] = emu.control.requests().filter((r) => r.method === 'DELETE')
    expect(more).toEqual([])
    expect(del!.status).toBe(204)
    expect(del!.query.void_reason).toBe(stored(created.id).voidReason)

    emu.control.clearRequests()
    expect(await pushNote(voiding)).toMatchObject({ status: 'VOID' })
    expect(calls('DELETE')).toEqual([])
    // A void one takes no edit either.
    const [edit] = await sync.creditNotes.upsertMany(auth, [{ ...note, existing: { id: created.id } }], 'k')
    expect(edit).toMatchObject({ ok: false, error: { kind: 'locked' } })
    expect(calls('PUT')).toEqual([])
  })

  it('a credit note voided before it was ever pushed is refused: nothing is created to be voided', async () => {
    const before = business().artefacts.size
    const [result] = await sync.creditNotes.upsertMany(
      auth,
      [{ ...creditNote([{ q: '1', p: '1', tax: '20' }]), voided: true }],
      'k',
    )
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation' } })
    expect(business().artefacts.size).toBe(before)
    expect(emu.control.requests().filter((r) => r.path.startsWith('/v3.1'))).toEqual([])
  })

  it("an allocated credit note is locked: an edit or a void is refused as 'locked' before any write", async () => {
    const invoice = await pushInvoice()
    const note = creditNote([{ q: '1', p: '20', tax: '20' }])
    const created = await pushNote(note)
    await sync.creditNotes.allocate(auth, allocation(created, invoice, 1000n), 'k')
    emu.control.clearRequests()
    const results = await sync.creditNotes.upsertMany(
      auth,
      [
        { ...note, notes: 'changed', existing: { id: created.id } },
        { ...note, existing: { id: created.id }, voided: true },
      ],
      'k',
    )
    expect(results).toMatchObject([
      { ok: false, error: { kind: 'locked' } },
      { ok: false, error: { kind: 'locked' } },
    ])
    expect((results[1] as { error: Error }).error.message).toMatch(/PART_PAID: allocated or refunded/)
    expect(calls('PUT')).toEqual([])
    expect(calls('DELETE')).toEqual([])
    expect(stored(created.id)).toMatchObject({
      status: 'PART_PAID',
      outstandingMinor: 1400,
      notes: 'Goods returned',
    })
  })
})

describe('findByNumbers', () => {
  it('finds ours by number, with totals, what is left and whether it is locked; not the missing', async () => {
    const open = creditNote([{ q: '1.25', p: '80', tax: '20' }])
    const opened = await pushNote(open)
    const invoice = await pushInvoice()
    const part = await pushCredit(60)
    await sync.creditNotes.allocate(auth, allocation(part, invoice, 2500n), 'k')
    const found = await sync.creditNotes.findByNumbers(auth, [
      open.number,
      stored(part.id).number,
      'CN-never',
    ])
    // In Sage's order (newest first), not the order asked.
    expect(found).toHaveLength(2)
    expect(found).toEqual([
      expect.objectContaining({ id: part.id, status: 'PART_PAID', remainingMinor: 3500n, locked: true }),
      expect.objectContaining({ id: opened.id, number: open.number, totals: open.totals, locked: false }),
    ])
    expect(found[1]!.lineIds).toEqual(opened.lineIds)
  })

  it('a write applied and then dropped is found afterwards, so a retry does not create a second', async () => {
    const note = creditNote([{ q: '3', p: '9.99', tax: '20' }])
    emu.control.injectFault({ kind: 'drop_after' })
    await expect(sync.creditNotes.upsertMany(auth, [note], 'k')).rejects.toMatchObject({ kind: 'transient' })
    const [found] = await sync.creditNotes.findByNumbers(auth, [note.number])
    expect(found).toMatchObject({
      number: note.number,
      totals: note.totals,
      remainingMinor: note.totals.totalMinor,
    })
    expect([...business().artefacts.values()].filter((a) => a.number === note.number)).toHaveLength(1)
  })
})

describe('allocate', () => {
  it('sets the credit note against the invoice: outstanding moves on both, one contact_allocation', async () => {
    const invoice = await pushInvoice()
    const note = await pushCredit(24)
    emu.control.clearRequests()
    const made = await sync.creditNotes.allocate(auth, allocation(note, invoice, 2400n), 'ignored-by-sage')
    const [kept, ...others] = liveAllocations(note.id)
    expect(others).toEqual([])
    expect(made).toEqual({ id: kept!.id, creditNoteId: note.id, invoiceId: invoice.id, amountMinor: 2400n })
    expect(kept).toMatchObject({
      transactionTypeId: 'CUSTOMER_ALLOCATION',
      contactId: contactId('ACME001'),
      date: '2026-11-25',
      allocations: [
        { artefactId: invoice.id, amountMinor: 2400 },
        { artefactId: note.id, amountMinor: -2400 },
      ],
    })
    expect(stored(invoice.id)).toMatchObject({ status: 'PART_PAID', outstandingMinor: 9600 })
    expect(stored(note.id)).toMatchObject({ status: 'PAID', outstandingMinor: 0 })
    const posts = emu.control.requests().filter((r) => r.method === 'POST')
    expect(posts.map((r) => [r.path, r.status])).toEqual([['/v3.1/contact_allocations', 201]])
    expect(JSON.parse(posts[0]!.body)).toEqual({
      contact_allocation: {
        transaction_type_id: 'CUSTOMER_ALLOCATION',
        contact_id: contactId('ACME001'),
        date: '2026-11-25',
        allocated_artefacts: [
          { artefact_id: invoice.id, amount: 24 },
          { artefact_id: note.id, amount: -24 },
        ],
      },
    })
  })

  it('two part allocations, to two invoices: each takes its part, and the credit note is used up', async () => {
    const first = await pushInvoice()
    const second = await pushInvoice({ net: '50' })
    const note = await pushCredit(90)
    await sync.creditNotes.allocate(auth, allocation(note, first, 3000n), 'k')
    expect(stored(note.id)).toMatchObject({ status: 'PART_PAID', outstandingMinor: 6000 })
    await sync.creditNotes.allocate(auth, allocation(note, second, 6000n), 'k')
    expect(stored(note.id)).toMatchObject({ status: 'PAID', outstandingMinor: 0 })
    expect(stored(first.id)).toMatchObject({ status: 'PART_PAID', outstandingMinor: 9000 })
    expect(stored(second.id)).toMatchObject({ status: 'PAID', outstandingMinor: 0 })
    expect(liveAllocations(note.id)).toHaveLength(2)
    const [found] = await sync.creditNotes.findByNumbers(auth, [stored(note.id).number])
    expect(found).toMatchObject({ remainingMinor: 0n, locked: true })
  })

  it.each([
    ['the credit note has left', 2400, 2401n],
    ['the invoice has outstanding', 24000, 12001n],
  ])(
    "more than %s: refused as 'validation' in Sage's words, nothing moved",
    async (_, gross, amountMinor) => {
      const invoice = await pushInvoice()
      const note = await pushCredit(gross / 100)
      const refused = await expectKind(
        sync.creditNotes.allocate(auth, allocation(note, invoice, amountMinor), 'k'),
        'validation',
      )
      expect(refused.message).toBe(
        'RecordInvalid: The allocated amount is greater than the outstanding amount. (allocated_artefacts)',
      )
      expect(refused.status).toBe(422)
      expect(stored(note.id)).toMatchObject({ status: 'UNPAID', outstandingMinor: gross })
      expect(stored(invoice.id)).toMatchObject({ status: 'UNPAID', outstandingMinor: 12000 })
      expect(liveAllocations(note.id)).toEqual([])
    },
  )

  it("what is left after a part allocation is the limit of the next: over it is 'validation'", async () => {
    const invoice = await pushInvoice()
    const note = await pushCredit(60)
    await sync.creditNotes.allocate(auth, allocation(note, invoice, 4000n), 'k')
    await expectKind(sync.creditNotes.allocate(auth, allocation(note, invoice, 2001n), 'k'), 'validation')
    expect(stored(note.id).outstandingMinor).toBe(2000)
    expect(stored(invoice.id).outstandingMinor).toBe(8000)
  })

  it("an invoice in another currency, or a void credit note: refused as 'validation', nothing moved", async () => {
    const euros = await pushInvoice({ currency: 'EUR', contact: 'GLOBEX01' })
    const pounds = await pushCredit(24, { currency: 'GBP', contact: 'GLOBEX01' })
    const mixed = await expectKind(
      sync.creditNotes.allocate(auth, allocation(pounds, euros, 1000n), 'k'),
      'validation',
    )
    expect(mixed.message).toMatch(/currency/)
    expect(stored(euros.id).outstandingMinor).toBe(12000)

    const invoice = await pushInvoice()
    const note = creditNote([{ q: '1', p: '10', tax: '20' }])
    const created = await pushNote(note)
    await pushNote({ ...note, existing: { id: created.id }, voided: true })
    await expectKind(sync.creditNotes.allocate(auth, allocation(created, invoice, 100n), 'k'), 'validation')
    expect(stored(invoice.id).outstandingMinor).toBe(12000)
  })

  it("another customer's invoice is not found for this customer's credit note", async () => {
    const theirs = await pushInvoice({ contact: 'NORTH001' })
    const note = await pushCredit(24)
    await expectKind(sync.creditNotes.allocate(auth, allocation(note, theirs, 100n), 'k'), 'not_found')
    expect(stored(theirs.id).outstandingMinor).toBe(12000)
    expect(liveAllocations(note.id)).toEqual([])
  })
})

describe('allocations', () => {
  it("lists the credit note's live allocations, ours and the bookkeeper's, and not deleted ones", async () => {
    const a = await pushInvoice()
    const b = await pushInvoice()
    const c = await pushInvoice({ net: '10' })
    const note = await pushCredit(120)
    const kept = await sync.creditNotes.allocate(auth, allocation(note, a, 2000n), 'k')
    const removed = await sync.creditNotes.allocate(auth, allocation(note, b, 1500n), 'k')
    expect((await sageApi('DELETE', `/contact_allocations/${removed.id!}`)).status).toBe(204)
    // The bookkeeper sets 30.00 more of it against two invoices at once, in Sage.
    const inSage = await sageApi('POST', '/contact_allocations', {
      contact_allocation: {
        transaction_type_id: 'CUSTOMER_ALLOCATION',
        contact_id: contactId('ACME001'),
        allocated_artefacts: [
          { artefact_id: b.id, amount: 18 },
          { artefact_id: c.id, amount: 12 },
          { artefact_id: note.id, amount: -30 },
        ],
      },
    })
    expect(inSage.status).toBe(201)
    const bookkeeper = ((await inSage.json()) as { id: string }).id
    emu.control.clearRequests()
    const found = await sync.creditNotes.allocations(auth, { id: note.id })
    expect(found).toEqual([
      kept,
      { id: bookkeeper, creditNoteId: note.id, invoiceId: b.id, amountMinor: 1800n },
      { id: bookkeeper, creditNoteId: note.id, invoiceId: c.id, amountMinor: 1200n },
    ])
    expect(found.map((x) => x.id)).not.toContain(removed.id)
    expect(stored(note.id).outstandingMinor).toBe(12000 - 2000 - 3000)
    // One read of the credit note, one of each live allocation.
    const gets = emu.control.requests().filter((r) => r.method === 'GET')
    expect(gets.map((r) => [r.path, r.query])).toEqual([
      [`/v3.1/sales_credit_notes/${note.id}`, { attributes: 'all', show_payments_allocations: 'true' }],
      [`/v3.1/contact_allocations/${kept.id!}`, { attributes: 'all' }],
      [`/v3.1/contact_allocations/${bookkeeper}`, { attributes: 'all' }],
    ])
  })

  it('none for a credit note not yet allocated, or one that is gone', async () => {
    const note = await pushCredit(12)
    expect(await sync.creditNotes.allocations(auth, { id: note.id })).toEqual([])
    expect(await sync.creditNotes.allocations(auth, { id: 'f'.repeat(32) })).toEqual([])
  })

  it('an allocation applied and then dropped is found by allocations, so a retry need not allocate again', async () => {
    const invoice = await pushInvoice()
    const note = await pushCredit(48)
    emu.control.injectFault({ kind: 'drop_after' })
    await expect(
      sync.creditNotes.allocate(auth, allocation(note, invoice, 4800n), 'k'),
    ).rejects.toMatchObject({ kind: 'transient' })
    const [live] = liveAllocations(note.id)
    expect(await sync.creditNotes.allocations(auth, { id: note.id })).toEqual([
      { id: live!.id, creditNoteId: note.id, invoiceId: invoice.id, amountMinor: 4800n },
    ])
  })
})
