import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type {
  InvoiceInput,
  PaymentInput,
  ProviderAuth,
  ProviderSync,
} from '../../server/providers/sync-contract.ts'
import type { SageEmulator } from '../emulators/sage/index.ts'
import { SAGE_DEMO_IDS } from '../emulators/sage/index.ts'
import { expectKind } from './conformance.ts'
import { pushOneInvoice } from './invoices.ts'
import { connectSageBusiness, sageDocument } from './sage-harness.ts'

/**
 * The Sage adapter's payments against the Sage emulator: customer receipts allocated to invoices
 * pushed by the adapter itself, checked on the emulator's own books (outstanding amounts, statuses,
 * the receipts it holds), not only on the adapter's answers. Setup as in sage-sync.test.ts.
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
const bank = () => business().bankAccounts[0]!
const stored = (invoiceId: string) => business().artefacts.get(invoiceId)!
const receiptsOf = (invoiceId: string) =>
  [...business().settlements.values()].filter(
    (s) => s.kind === 'contact_payment' && s.allocations.some((a) => a.artefactId === invoiceId),
  )
const live = (invoiceId: string) => receiptsOf(invoiceId).filter((s) => s.deletedAt === null)
let seq = 0

/** Pushes a one-line invoice through the adapter: 100.00 net + 20% VAT = 120.00 unless told. */
async function pushInvoice(o: { net?: string; currency?: string; contact?: string } = {}) {
  const inv: InvoiceInput = {
    ...sageDocument(emu, sync, { lineId: 'line_0', ...o }),
    invoiceId: `inv_pay_${++seq}`,
    number: `LP-${seq}`,
    dueDate: '2026-12-02',
  }
  const { id } = await pushOneInvoice(sync, auth, inv, 'ignored-by-sage')
  return { id, contact: inv.contact, currency: inv.currency }
}

type Pushed = Awaited<ReturnType<typeof pushInvoice>>
const payment = (inv: Pushed, amountMinor: bigint, o: Partial<PaymentInput> = {}): PaymentInput => ({
  paymentId: `pay_${++seq}`,
  invoice: { id: inv.id },
  contact: inv.contact,
  account: { id: bank().id, code: '1200' },
  currency: inv.currency,
  amountMinor,
  date: '2026-11-10',
  reference: `BACS ${seq}`,
  method: 'bank_transfer',
  ...o,
})

async function payOne(p: PaymentInput) {
  const [result] = await sync.payments.createMany(auth, [p], 'ignored-by-sage')
  if (!result!.ok) throw result!.error
  return result!.payment
}

describe('createMany', () => {
  it('a full payment: one receipt into the bank account, the invoice paid with nothing outstanding', async () => {
    const inv = await pushInvoice()
    const p = payment(inv, 12000n, { date: '2026-11-12', reference: 'BACS 0001' })
    emu.control.clearRequests()
    const paid = await payOne(p)
    expect(paid).toMatchObject({
      invoiceId: inv.id,
      amountMinor: 12000n,
      date: '2026-11-12',
      reference: 'BACS 0001',
    })
    expect(stored(inv.id)).toMatchObject({ status: 'PAID', outstandingMinor: 0, lastPaid: '2026-11-12' })
    const [receipt, ...others] = live(inv.id)
    expect(others).toEqual([])
    expect(receipt).toMatchObject({
      id: paid.id,
      transactionTypeId: 'CUSTOMER_RECEIPT',
      contactId: inv.contact.id,
      bankAccountId: bank().id,
      currencyId: 'GBP',
      totalMinor: 12000,
      reference: 'BACS 0001',
      allocations: [{ artefactId: inv.id, amountMinor: 12000, discountMinor: 0 }],
    })
    const posts = emu.control.requests().filter((r) => r.method === 'POST')
    expect(posts.map((r) => [r.path, r.status])).toEqual([['/v3.1/contact_payments', 201]])
    expect(JSON.parse(posts[0]!.body)).toEqual({
      contact_payment: {
        transaction_type_id: 'CUSTOMER_RECEIPT',
        contact_id: inv.contact.id,
        bank_account_id: bank().id,
        date: '2026-11-12',
        total_amount: 120,
        currency_id: 'GBP',
        reference: 'BACS 0001',
        allocated_artefacts: [{ artefact_id: inv.id, amount: 120 }],
      },
    })
  })

  it('part payments: part paid after the first, paid once they add up to the total', async () => {
    const inv = await pushInvoice()
    await payOne(payment(inv, 4550n))
    expect(stored(inv.id)).toMatchObject({ status: 'PART_PAID', outstandingMinor: 7450 })
    await payOne(payment(inv, 2000n, { date: '2026-11-11' }))
    await payOne(payment(inv, 5450n, { date: '2026-11-12' }))
    expect(stored(inv.id)).toMatchObject({ status: 'PAID', outstandingMinor: 0, lastPaid: '2026-11-12' })
    expect(live(inv.id).map((s) => s.totalMinor)).toEqual([4550, 2000, 5450])
  })

  it("more than the invoice has outstanding: refused as 'validation' in Sage's words, nothing recorded", async () => {
    const inv = await pushInvoice()
    await payOne(payment(inv, 5000n))
    const other = await pushInvoice({ net: '10' })
    const results = await sync.payments.createMany(
      auth,
      [payment(inv, 7001n), payment(other, 1200n)],
      'ignored-by-sage',
    )
    expect(results.map((r) => r.ok)).toEqual([false, true])
    const refused = results[0] as Extract<(typeof results)[number], { ok: false }>
    expect(refused.error.kind).toBe('validation')
    expect(refused.error.message).toBe(
      'RecordInvalid: The allocated amount is greater than the outstanding amount. (allocated_artefacts)',
    )
    expect(stored(inv.id)).toMatchObject({ status: 'PART_PAID', outstandingMinor: 7000 })
    expect(live(inv.id)).toHaveLength(1)
    expect(stored(other.id)).toMatchObject({ status: 'PAID', outstandingMinor: 0 })
  })

  it.each([
    ['a revenue ledger account', () => ledger(4000)],
    ["the bank's own ledger account (1200), not its bank account", () => ledger(1200)],
  ])('to %s: refused as validation, nothing recorded', async (_, accountId) => {
    const inv = await pushInvoice()
    const [result] = await sync.payments.createMany(
      auth,
      [payment(inv, 12000n, { account: { id: accountId(), code: null } })],
      'k',
    )
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation' } })
    expect((result as { error: Error }).error.message).toMatch(/RecordNotFound: Couldn't find record\.$/)
    expect(stored(inv.id)).toMatchObject({ status: 'UNPAID', outstandingMinor: 12000 })
    expect(receiptsOf(inv.id)).toEqual([])
  })

  it('a foreign-currency invoice is paid in its currency, at the business rate', async () => {
    const inv = await pushInvoice({ currency: 'EUR', contact: 'GLOBEX01', net: '13.37' })
    const total = BigInt(stored(inv.id).totalMinor)
    expect(total).toBe(1604n) // 13.37 + 2.67 VAT
    const paid = await payOne(payment(inv, total))
    expect(paid).toMatchObject({ invoiceId: inv.id, amountMinor: 1604n })
    expect(live(inv.id)[0]).toMatchObject({ currencyId: 'EUR', exchangeRate: 1.17, totalMinor: 1604 })
    expect(stored(inv.id)).toMatchObject({ status: 'PAID', outstandingMinor: 0 })
  })

  it("429: thrown as 'rate_limited' (the connection's fault), and the rest of the batch is not sent", async () => {
    const a = await pushInvoice()
    const b = await pushInvoice()
    emu.control.forceThrottle(1, SAGE_DEMO_IDS.hartley)
    emu.control.clearRequests()
    await expect(
      sync.payments.createMany(auth, [payment(a, 100n), payment(b, 100n)], 'k'),
    ).rejects.toMatchObject({ kind: 'rate_limited' })
    expect(emu.control.requests().filter((r) => r.path.startsWith('/v3.1'))).toHaveLength(1)
    expect([...live(a.id), ...live(b.id)]).toEqual([])
  })

  it('a receipt applied and then dropped is found by findForInvoices, so a retry need not pay again', async () => {
    const inv = await pushInvoice()
    emu.control.injectFault({ kind: 'drop_after' })
    await expect(sync.payments.createMany(auth, [payment(inv, 3000n)], 'k')).rejects.toMatchObject({
      kind: 'transient',
    })
    expect(live(inv.id)).toHaveLength(1)
    const found = await sync.payments.findForInvoices(auth, [inv.id])
    expect(found).toEqual([
      expect.objectContaining({ id: live(inv.id)[0]!.id, amountMinor: 3000n, date: '2026-11-10' }),
    ])
  })
})

describe('findForInvoices', () => {
  it("lists each invoice's live receipts, ours and the bookkeeper's, and not deleted ones", async () => {
    const a = await pushInvoice()
    const b = await pushInvoice()
    const kept = await payOne(payment(a, 2000n, { reference: 'kept' }))
    const removed = await payOne(payment(a, 3000n))
    await sync.payments.remove(auth, removed, 'k')
    const inSage = emu.control.recordPayment({
      businessId: SAGE_DEMO_IDS.hartley,
      invoiceId: b.id,
      amount: 12,
      date: '2026-11-15',
    })
    const found = await sync.payments.findForInvoices(auth, [a.id, b.id, 'f'.repeat(32)])
    expect(found).toEqual([
      { id: kept.id, url: null, invoiceId: a.id, amountMinor: 2000n, date: '2026-11-10', reference: 'kept' },
      { id: inSage.id, url: null, invoiceId: b.id, amountMinor: 1200n, date: '2026-11-15', reference: null },
    ])
    expect(found.map((p) => p.id)).not.toContain(removed.id)
  })

  it('a credit note allocated to the invoice is not a payment', async () => {
    const inv = await pushInvoice()
    await payOne(payment(inv, 6000n))
    const api = (path: string, body: unknown) =>
      fetch(`${emu.url}/v3.1${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${auth.accessToken}`,
          'x-business': SAGE_DEMO_IDS.hartley,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      })
    const line = { description: 'Refund', ledger_account_id: ledger(4000), quantity: 1, unit_price: 10 }
    const note = await api('/sales_credit_notes', {
      sales_credit_note: {
        contact_id: inv.contact.id,
        date: '2026-11-05',
        credit_note_lines: [{ ...line, tax_rate_id: 'GB_STANDARD', tax_amount: 2 }],
      },
    })
    const noteId = ((await note.json()) as { id: string }).id
    const allocation = await api('/contact_allocations', {
      contact_allocation: {
        transaction_type_id: 'CUSTOMER_ALLOCATION',
        contact_id: inv.contact.id,
        allocated_artefacts: [
          { artefact_id: inv.id, amount: 12 },
          { artefact_id: noteId, amount: -12 },
        ],
      },
    })
    expect(allocation.status).toBe(201)
    expect(stored(inv.id).outstandingMinor).toBe(4800)
    const found = await sync.payments.findForInvoices(auth, [inv.id])
    expect(found.map((p) => p.amountMinor)).toEqual([6000n])
  })
})

describe('remove', () => {
  it('deletes the receipt and gives the invoice its balance back; removing again succeeds', async () => {
    const inv = await pushInvoice()
    const paid = await payOne(payment(inv, 12000n))
    await sync.payments.remove(auth, paid, 'k')
    expect(stored(inv.id)).toMatchObject({ status: 'UNPAID', outstandingMinor: 12000, lastPaid: null })
    expect(business().settlements.get(paid.id)!.deletedAt).not.toBeNull()
    await expect(sync.payments.remove(auth, paid, 'k')).resolves.toBeUndefined()
    const deletes = emu.control.requests().filter((r) => r.method === 'DELETE')
    expect(deletes.map((r) => [r.path, r.status])).toEqual([
      [`/v3.1/contact_payments/${paid.id}`, 204],
      [`/v3.1/contact_payments/${paid.id}`, 404],
    ])
    expect(await sync.payments.findForInvoices(auth, [inv.id])).toEqual([])
  })

  it("a receipt Sage will not delete (cleared against the bank feed): 'locked' in Sage's words, kept", async () => {
    const inv = await pushInvoice()
    const paid = await payOne(payment(inv, 12000n))
    emu.control.setPaymentCleared(SAGE_DEMO_IDS.hartley, paid.id, true)
    const locked = await expectKind(sync.payments.remove(auth, paid, 'k'), 'locked')
    expect(locked.message).toMatch(/^RecordInvalid: This transaction has been cleared in the bank/)
    expect(live(inv.id).map((s) => s.id)).toEqual([paid.id])
    expect(stored(inv.id)).toMatchObject({ status: 'PAID', outstandingMinor: 0 })
  })
})
