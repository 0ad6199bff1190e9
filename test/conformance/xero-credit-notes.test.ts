import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  AllocationInput,
  CreditNoteItemResult,
  ProviderAuth,
  ProviderCreditNote,
  ProviderInvoice,
  ProviderSync,
} from '../../server/providers/sync-contract.ts'
import type { XeroEmulator } from '../emulators/xero/index.ts'
import type { InvoiceSpec } from '../emulators/xero/sync-testing.ts'
import { buildCreditNote, buildInvoice } from '../emulators/xero/sync-testing.ts'
import { UK } from '../emulators/xero/testing.ts'
import { expectKind } from './conformance.ts'
import { connectXeroSync, standardSpec } from './xero-harness.ts'
import { findContact } from './contacts.ts'

/** The Xero adapter's credit notes (sync-contract.ts) against the emulated Xero, through the production code. */
let emu: XeroEmulator
let sync: ProviderSync
let uk: ProviderAuth
let rates: Map<string, string>
let acme: string
let brightside: string
let n = 0

beforeAll(async () => {
  ;({ emu, sync, auth: uk, rates, acme } = await connectXeroSync([UK]))
  brightside = (await findContact(sync, uk, {
    reference: 'x',
    email: 'hello@brightside.example',
    name: 'x',
  }))!.id
})
afterAll(() => emu.close())

type NoteSpec = InvoiceSpec & { voided?: boolean }
/** By default 2 × 49.50 + 20% VAT: 118.80 GBP. */
const spec = (over: Partial<NoteSpec> = {}): NoteSpec => ({ ...standardSpec(`XC-${++n}`, acme), ...over })
const push = (...specs: NoteSpec[]) =>
  sync.creditNotes.upsertMany(
    uk,
    specs.map((s) => buildCreditNote(sync, rates, s)),
    `job-cn-${++n}`,
  )
function landed(r: CreditNoteItemResult | undefined): ProviderCreditNote {
  if (!r?.ok) throw r?.error ?? new Error('no result')
  return r.creditNote
}
function refused(r: CreditNoteItemResult | undefined) {
  if (!r || r.ok) throw new Error('expected a refused credit note')
  return r.error
}
const pushOne = async (s: NoteSpec) => landed((await push(s))[0])

/** An AUTHORISED invoice of `q` × 49.50 + 20% VAT (q = 2: 118.80 GBP). */
async function invoice(q = '2', contactId = acme, currency = 'GBP'): Promise<ProviderInvoice> {
  const s: InvoiceSpec = {
    number: `XI-${++n}`,
    contactId,
    currency,
    lines: [{ q, p: '49.50', tax: 'OUTPUT2' }],
  }
  const [result] = await sync.invoices.upsertMany(uk, [buildInvoice(sync, rates, s)], `job-inv-${n}`)
  if (!result?.ok) throw result?.error ?? new Error('no result')
  return result.invoice
}

const allocation = (
  note: ProviderCreditNote,
  inv: ProviderInvoice,
  amountMinor: bigint,
  over: Partial<AllocationInput> = {},
): AllocationInput => ({
  creditNote: { id: note.id },
  invoice: { id: inv.id },
  contact: { id: acme },
  currency: 'GBP',
  amountMinor,
  date: '2026-11-10',
  ...over,
})

const org = () => emu.control.organisation(UK)
const storedNote = (note: ProviderCreditNote) => org().creditNotes.get(note.id)!
const storedInvoice = (inv: ProviderInvoice) => org().invoices.get(inv.id)!
const lastWrite = () =>
  emu.control
    .requests()
    .filter((r) => r.path.endsWith('/CreditNotes') && r.method !== 'GET')
    .at(-1)!
const allocationPuts = () =>
  emu.control.requests().filter((r) => r.path.endsWith('/Allocations') && r.method === 'PUT')

describe('Xero credit notes: upsertMany', () => {
  it('creates with PUT: lines, tax and notes, totals as totals() computes them, all of it left', async () => {
    const s = spec({
      lines: [
        { q: '2', p: '49.50', tax: 'OUTPUT2' },
        { q: '3', p: '0.3333', tax: 'RROUTPUT' },
        { q: '1', p: '12.3456', tax: 'ZERORATEDOUTPUT' },
      ],
      notes: 'Two seats returned',
    })
    const input = buildCreditNote(sync, rates, s)
    const [result] = await sync.creditNotes.upsertMany(uk, [input], 'job-cn-create')
    const note = landed(result)
    expect(note).toMatchObject({ number: s.number, status: 'AUTHORISED', locked: false })
    expect(note.totals).toEqual(input.totals)
    expect(note.remainingMinor).toBe(input.totals.totalMinor)
    expect(note.lineIds).toHaveLength(3)

    const write = lastWrite()
    expect(write.method).toBe('PUT')
    expect(write.query).toMatchObject({ summarizeErrors: 'false', unitdp: '4' })
    expect(write.headers['idempotency-key']).toBe('job-cn-create:create')
    const body = JSON.parse(write.body) as { CreditNotes: Record<string, unknown>[] }
    expect(body.CreditNotes[0]).toEqual({
      Type: 'ACCRECCREDIT',
      Contact: { ContactID: acme },
      CreditNoteNumber: s.number,
      Reference: `ref-${s.number}`,
      CurrencyCode: 'GBP',
      Date: '2026-11-01',
      LineAmountTypes: 'Exclusive',
      Status: 'AUTHORISED',
      LineItems: [
        { Description: 'Line 1', Quantity: 2, UnitAmount: 49.5, AccountCode: '200', TaxType: 'OUTPUT2' },
        { Description: 'Line 2', Quantity: 3, UnitAmount: 0.3333, AccountCode: '200', TaxType: 'RROUTPUT' },
        {
          Description: 'Line 3',
          Quantity: 1,
          UnitAmount: 12.3456,
          AccountCode: '200',
          TaxType: 'ZERORATEDOUTPUT',
        },
        { Description: 'Two seats returned' },
      ],
    })
    const stored = storedNote(note)
    expect(stored).toMatchObject({
      Type: 'ACCRECCREDIT',
      Status: 'AUTHORISED',
      ContactID: acme,
      CurrencyCode: 'GBP',
      Date: '2026-11-01',
      RemainingCredit: stored.Total,
    })
    expect(stored.LineItems.map((l) => l.LineItemID).slice(0, 3)).toEqual(note.lineIds)
  })

  it('carries inclusive amounts and another currency, in the same PUT as the rest of the batch', async () => {
    const a = spec({
      currency: 'EUR',
      amounts: 'tax_inclusive',
      lines: [{ q: '1', p: '99.99', tax: 'OUTPUT2' }],
    })
    const b = spec({ lines: [{ q: '1', p: '10', tax: null }] })
    const before = emu.control.requests().length
    const results = await push(a, b)
    expect(
      emu.control
        .requests()
        .slice(before)
        .filter((r) => r.method === 'PUT'),
    ).toHaveLength(1)
    const [na, nb] = results.map(landed)
    expect(na!.totals).toEqual(buildCreditNote(sync, rates, a).totals)
    expect(nb!.totals).toEqual({ subtotalMinor: 1000n, taxMinor: 0n, totalMinor: 1000n })
    expect(storedNote(na!)).toMatchObject({ CurrencyCode: 'EUR', LineAmountTypes: 'Inclusive', Total: 99.99 })
    expect(storedNote(nb!)).toMatchObject({ LineAmountTypes: 'NoTax' })
  })

  it('updates with POST by CreditNoteID, keeping every LineItemID', async () => {
    const s = spec({
      lines: [
        { q: '1', p: '10', tax: 'OUTPUT2' },
        { q: '2', p: '5', tax: 'OUTPUT2' },
      ],
    })
    const created = await pushOne(s)
    const lines = s.lines.map((l, i) => ({ ...l, q: '4', providerLineId: created.lineIds[i]! }))
    const edited = { ...s, lines, existing: { id: created.id } }
    const updated = await pushOne(edited)
    expect(lastWrite().method).toBe('POST')
    expect(updated.id).toBe(created.id)
    expect(updated.lineIds).toEqual(created.lineIds)
    expect(updated.totals).toEqual(buildCreditNote(sync, rates, edited).totals)
    expect(updated.totals.totalMinor).toBe(7200n)
    const body = JSON.parse(lastWrite().body) as {
      CreditNotes: { CreditNoteID: string; LineItems: { LineItemID?: string }[] }[]
    }
    expect(body.CreditNotes[0]!.CreditNoteID).toBe(created.id)
    expect(body.CreditNotes[0]!.LineItems.map((l) => l.LineItemID)).toEqual(created.lineIds)
    expect(storedNote(created)).toMatchObject({ Total: 72, RemainingCredit: 72 })
    expect(storedNote(created).LineItems.map((l) => l.LineItemID)).toEqual(created.lineIds)
    expect([...org().creditNotes.values()].filter((c) => c.CreditNoteNumber === s.number)).toHaveLength(1)
  })

  it("fails a number Xero already has as 'conflict', alone, and the engine finds the first", async () => {
    const s = spec()
    const first = await pushOne(s)
    const results = await push(spec({ number: s.number }), spec())
    const dup = refused(results[0])
    expect(dup.kind).toBe('conflict')
    expect(dup.message).toMatch(/must be unique/)
    expect(dup.correlationId).toBeTruthy()
    landed(results[1])
    expect([...org().creditNotes.values()].filter((c) => c.CreditNoteNumber === s.number)).toHaveLength(1)
    const [found] = await sync.creditNotes.findByNumbers(uk, [s.number])
    expect(found).toMatchObject({ id: first.id, number: s.number })
  })

  it("fails a discounted line and a void of a note Xero never had as 'validation', unsent", async () => {
    const discounted = spec({ lines: [{ q: '1', p: '10', tax: 'OUTPUT2', discountRate: '10' }] })
    const neverSent = spec({ voided: true })
    const fine = spec()
    const results = await push(discounted, neverSent, fine)
    expect(refused(results[0])).toMatchObject({ kind: 'validation', message: /take no discounts/ })
    expect(refused(results[1])).toMatchObject({ kind: 'validation', message: /no copy there to void/ })
    landed(results[2])
    const body = JSON.parse(lastWrite().body) as { CreditNotes: { CreditNoteNumber: string }[] }
    expect(body.CreditNotes.map((c) => c.CreditNoteNumber)).toEqual([fine.number])
  })

  it('voids with POST of the id and Status VOIDED; voiding again answers voided', async () => {
    const s = spec()
    const created = await pushOne(s)
    const [result] = await sync.creditNotes.upsertMany(
      uk,
      [buildCreditNote(sync, rates, { ...s, voided: true, existing: { id: created.id } })],
      'job-cn-void',
    )
    const voided = landed(result)
    expect(voided).toMatchObject({ id: created.id, status: 'VOIDED', locked: true, remainingMinor: 0n })
    expect(lastWrite().method).toBe('POST')
    expect(lastWrite().headers['idempotency-key']).toBe('job-cn-void:update')
    expect(JSON.parse(lastWrite().body)).toEqual({
      CreditNotes: [{ CreditNoteID: created.id, Status: 'VOIDED' }],
    })
    expect(storedNote(created)).toMatchObject({ Status: 'VOIDED', RemainingCredit: 0 })

    // A later job voids it again (the first answer lost past the key's life): Xero refuses, the note is voided.
    const again = await push({ ...s, voided: true, existing: { id: created.id } })
    expect(landed(again[0])).toMatchObject({ id: created.id, status: 'VOIDED' })
    expect(emu.control.requests().at(-1)).toMatchObject({
      method: 'GET',
      path: expect.stringContaining(created.id) as string,
    })
    // Editing a voided note stays refused.
    const [edit] = await push({ ...s, existing: { id: created.id } })
    expect(refused(edit).kind).toBe('locked')
  })

  it('refuses more credit notes than one request carries', async () => {
    const many = Array.from({ length: 51 }, () => spec())
    await expect(push(...many)).rejects.toThrow(RangeError)
  })
})

describe('Xero credit notes: findByNumbers', () => {
  it('finds ours by a where on CreditNoteNumber, paged with their lines; unknown numbers are left out', async () => {
    const a = await pushOne(spec({ lines: [{ q: '3', p: '3.333', tax: 'OUTPUT2' }] }))
    const b = await pushOne(spec())
    const found = await sync.creditNotes.findByNumbers(uk, [a.number, 'XC-none', b.number, a.number])
    expect(found.map((f) => f.id).sort()).toEqual([a.id, b.id].sort())
    expect(found.find((f) => f.id === a.id)).toEqual(a)
    const get = emu.control
      .requests()
      .filter((r) => r.path.endsWith('/CreditNotes') && r.method === 'GET')
      .at(-1)!
    expect(get.query).toMatchObject({ page: '1', unitdp: '4' })
    expect(get.query.where).toBe(
      `CreditNoteNumber=="${a.number}" OR CreditNoteNumber=="XC-none" OR CreditNoteNumber=="${b.number}"`,
    )
  })

  it('finds a credit note whose write landed and whose answer was dropped', async () => {
    const s = spec()
    emu.control.injectFault({ kind: 'drop_after' })
    await expectKind(push(s), 'transient')
    const [found] = await sync.creditNotes.findByNumbers(uk, [s.number])
    expect(found).toMatchObject({ number: s.number, status: 'AUTHORISED', locked: false })
    expect(found!.totals).toEqual(buildCreditNote(sync, rates, s).totals)
    expect(found!.lineIds).toHaveLength(1)
  })

  it('looks many numbers up in chunks, each where short', async () => {
    const note = await pushOne(spec())
    const numbers = [...Array.from({ length: 150 }, (_, i) => `CN-NOT-THERE-${i}`), note.number]
    const gets = () =>
      emu.control.requests().filter((r) => r.path.endsWith('/CreditNotes') && r.method === 'GET')
    const before = gets().length
    expect((await sync.creditNotes.findByNumbers(uk, numbers)).map((f) => f.id)).toEqual([note.id])
    const sent = gets().slice(before)
    expect(sent.length).toBeGreaterThan(1)
    for (const r of sent) expect(r.query.where!.length).toBeLessThanOrEqual(2000)
  })
})

describe('Xero credit notes: allocate and allocations', () => {
  it("sets credit against an invoice: its AmountDue and the note's RemainingCredit move at Xero", async () => {
    const note = await pushOne(spec())
    const inv = await invoice('4') // 237.60
    const result = await sync.creditNotes.allocate(uk, allocation(note, inv, 5000n), 'job-alloc')
    const stored = storedNote(note)
    expect(result).toEqual({
      id: stored.Allocations[0]!.AllocationID,
      creditNoteId: note.id,
      invoiceId: inv.id,
      amountMinor: 5000n,
    })
    expect(stored).toMatchObject({ Status: 'AUTHORISED', RemainingCredit: 68.8 })
    expect(storedInvoice(inv)).toMatchObject({ Status: 'AUTHORISED', AmountCredited: 50, AmountDue: 187.6 })
    const put = allocationPuts().at(-1)!
    expect(put.path).toMatch(new RegExp(`/CreditNotes/${note.id}/Allocations$`))
    expect(put.query.summarizeErrors).toBe('false')
    expect(put.headers['idempotency-key']).toBe('job-alloc:allocate')
    expect(JSON.parse(put.body)).toEqual({
      Allocations: [{ Invoice: { InvoiceID: inv.id }, Amount: 50, Date: '2026-11-10' }],
    })

    // Part allocated: the note is locked, and Xero refuses an edit to it.
    const [found] = await sync.creditNotes.findByNumbers(uk, [note.number])
    expect(found).toMatchObject({ remainingMinor: 6880n, locked: true, status: 'AUTHORISED' })
    const [edit] = await push({ ...spec({ number: note.number }), existing: { id: note.id } })
    expect(refused(edit)).toMatchObject({ kind: 'locked', message: /payment or credit note allocated/ })
    expect(storedNote(note).Total).toBe(118.8)
  })

  it('takes two part allocations that use the whole note and pay the invoice: both PAID', async () => {
    const note = await pushOne(spec())
    const inv = await invoice()
    await sync.creditNotes.allocate(uk, allocation(note, inv, 4000n), 'job-part-1')
    expect(storedInvoice(inv)).toMatchObject({ AmountDue: 78.8, Status: 'AUTHORISED' })
    await sync.creditNotes.allocate(uk, allocation(note, inv, 7880n), 'job-part-2')
    expect(storedNote(note)).toMatchObject({ Status: 'PAID', RemainingCredit: 0 })
    expect(storedInvoice(inv)).toMatchObject({ Status: 'PAID', AmountDue: 0, AmountCredited: 118.8 })
    const [found] = await sync.creditNotes.findByNumbers(uk, [note.number])
    expect(found).toMatchObject({ status: 'PAID', remainingMinor: 0n, locked: true })
  })

  it("refuses more than the note has left, or the invoice has due, as 'validation' with both amounts", async () => {
    const note = await pushOne(spec()) // 118.80 left
    const big = await invoice('4') // 237.60 due
    const overCredit = await expectKind(
      sync.creditNotes.allocate(uk, allocation(note, big, 15000n), 'job-over-credit'),
      'validation',
    )
    expect(overCredit.message).toBe(
      `Cannot allocate 150.00 GBP: credit note ${note.number} has 118.80 GBP left and invoice ${big.number} has 237.60 GBP due (Xero: Allocation amount exceeds the remaining credit on this credit note)`,
    )
    expect(overCredit.correlationId).toBeTruthy()

    const small = await invoice()
    emu.control.payInvoice(UK, small.id, { Amount: 100 }) // 18.80 due
    const overDue = await expectKind(
      sync.creditNotes.allocate(uk, allocation(note, small, 2000n), 'job-over-due'),
      'validation',
    )
    expect(overDue.message).toMatch(/has 118\.80 GBP left and invoice .* has 18\.80 GBP due/)
    expect(overDue.message).toMatch(/greater than amount outstanding/)

    expect(storedNote(note)).toMatchObject({ RemainingCredit: 118.8, Allocations: [] })
    expect(storedInvoice(big)).toMatchObject({ AmountDue: 237.6, AmountCredited: 0 })
    expect(storedInvoice(small)).toMatchObject({ AmountDue: 18.8, AmountCredited: 0 })
  })

  it("passes on Xero's own refusal of another contact's invoice or another currency", async () => {
    const note = await pushOne(spec())
    const theirs = await invoice('1', brightside)
    const contact = await expectKind(
      sync.creditNotes.allocate(uk, allocation(note, theirs, 1000n), 'job-contact'),
      'validation',
    )
    expect(contact.message).toMatch(/same contact/)
    const euro = await invoice('1', acme, 'EUR')
    const currency = await expectKind(
      sync.creditNotes.allocate(uk, allocation(note, euro, 1000n), 'job-currency'),
      'validation',
    )
    expect(currency.message).toMatch(/same currency/)
    expect(storedNote(note).Allocations).toEqual([])
  })

  it('allocates once when the same allocate is replayed with the same key', async () => {
    const note = await pushOne(spec())
    const inv = await invoice()
    const input = allocation(note, inv, 3000n)
    // The first answer is lost on the way back; the engine retries with the same key.
    emu.control.injectFault({ kind: 'drop_after' })
    await expectKind(sync.creditNotes.allocate(uk, input, 'job-replay'), 'transient')
    const first = await sync.creditNotes.allocate(uk, input, 'job-replay')
    const again = await sync.creditNotes.allocate(uk, input, 'job-replay')
    expect(again).toEqual(first)
    expect(storedNote(note).Allocations).toHaveLength(1)
    expect(storedNote(note).RemainingCredit).toBe(88.8)
    expect(storedInvoice(inv)).toMatchObject({ AmountCredited: 30, AmountDue: 88.8 })
  })

  it("lists a note's allocations with their ids, for the lookup after an uncertain outcome", async () => {
    const note = await pushOne(spec())
    const [a, b] = [await invoice(), await invoice()]
    const first = await sync.creditNotes.allocate(uk, allocation(note, a, 1880n), 'job-list-1')
    const second = await sync.creditNotes.allocate(uk, allocation(note, b, 10000n), 'job-list-2')
    expect(await sync.creditNotes.allocations(uk, { id: note.id })).toEqual([first, second])
    expect(first.id).toBeTruthy()
    expect(first.id).not.toBe(second.id)
    expect(await sync.creditNotes.allocations(uk, await pushOne(spec()))).toEqual([])
    await expectKind(
      sync.creditNotes.allocations(uk, { id: '00000000-0000-4000-8000-00000000dead' }),
      'not_found',
    )
  })
})
