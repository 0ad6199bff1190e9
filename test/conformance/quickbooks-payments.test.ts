import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type {
  InvoiceInput,
  PaymentInput,
  PaymentItemResult,
  ProviderAuth,
  ProviderInvoice,
  ProviderSync,
} from '../../server/providers/sync-contract.ts'
import { DEFAULT_COMPANY } from '../emulators/quickbooks/index.ts'
import type { QuickBooksEmulator } from '../emulators/quickbooks/index.ts'
import { expectKind } from './conformance.ts'
import { connectQuickBooksSync, quickBooksInvoice } from './quickbooks-harness.ts'
import { createContact } from './contacts.ts'

/**
 * Payments of the QuickBooks adapter against its emulator, set up as quickbooks-sync.test.ts is: a
 * UK company with multicurrency on and EUR enabled. Every outcome is checked at the emulator too
 * (invoice Balance, the payments it holds, what was sent), not only in the adapter's answers.
 */
const REALM = DEFAULT_COMPANY.realmId
const CHECKING = { id: '35', code: null }
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
const balanceOf = (invoice: ProviderInvoice) => company().get('Invoice', invoice.id)!.Balance
const paymentsAt = () => company().list('Payment')
const since = (n: number) =>
  emu.control
    .requests(REALM)
    .slice(n)
    .map((r) => (r.path.endsWith('/batch') ? 'batch' : (r.query.query?.split(' where ')[0] ?? r.path)))

/** Invoices of one 100.00 line at 20% VAT (120.00 due), pushed by the adapter in one batch. */
async function invoices(count: number, o: Partial<InvoiceInput> = {}) {
  const inputs = Array.from({ length: count }, (): InvoiceInput => {
    const n = ++seq
    const ids = { invoiceId: `inv_p${n}`, number: `PAY-${n}`, lineId: `line_p${n}` }
    return { ...quickBooksInvoice(sync, ids, { currency: o.currency }), ...o }
  })
  const results = await sync.invoices.upsertMany(auth, inputs, `job-invoices-${seq}`)
  return results.map((r) => {
    if (!r.ok) throw r.error
    return r.invoice
  })
}

function payment(invoice: ProviderInvoice, amountMinor: bigint, o: Partial<PaymentInput> = {}): PaymentInput {
  const n = ++seq
  return {
    paymentId: `pay_${n}`,
    invoice: { id: invoice.id },
    contact: { id: '1' },
    account: CHECKING,
    currency: 'GBP',
    amountMinor,
    date: '2026-11-21',
    reference: `BACS-${n}`,
    method: 'bank_transfer',
    ...o,
  }
}

function recorded(result: PaymentItemResult | undefined) {
  if (!result?.ok) throw result?.error ?? new Error('no result')
  return result.payment
}

describe('QuickBooks payments: createMany', () => {
  it('records a full payment in one query and one batch: the invoice is paid at the emulator', async () => {
    const [inv] = await invoices(1)
    const input = payment(inv!, 12000n)
    const before = emu.control.requests(REALM).length
    const [result] = await sync.payments.createMany(auth, [input], 'job-pay-full')
    const paid = recorded(result)
    expect(paid).toMatchObject({
      invoiceId: inv!.id,
      amountMinor: 12000n,
      date: '2026-11-21',
      reference: input.reference,
      version: '0',
    })
    expect(since(before)).toEqual(['select * from Invoice', 'batch'])
    expect(emu.control.requests(REALM).at(-1)!.query).toMatchObject({
      minorversion: '75',
      requestid: 'job-pay-full',
    })
    expect(company().get('Invoice', inv!.id)).toMatchObject({
      Balance: 0,
      LinkedTxn: [{ TxnId: paid.id, TxnType: 'Payment' }],
    })
    expect(company().get('Payment', paid.id)).toMatchObject({
      CustomerRef: { value: '1' },
      CurrencyRef: { value: 'GBP' },
      TotalAmt: 120,
      UnappliedAmt: 0,
      TxnDate: '2026-11-21',
      PaymentRefNum: input.reference,
      DepositToAccountRef: { value: '35' },
      Line: [{ Amount: 120, LinkedTxn: [{ TxnId: inv!.id, TxnType: 'Invoice' }] }],
    })
    const [seen] = await sync.invoices.findByNumbers(auth, [inv!.number])
    expect(seen).toMatchObject({ status: 'paid', locked: true })
  })

  it('records part payments that add up to the total, in one batch and the next', async () => {
    const [inv] = await invoices(1)
    const parts = await sync.payments.createMany(
      auth,
      [payment(inv!, 5000n), payment(inv!, 4000n)],
      'job-pay-parts-1',
    )
    expect(parts.map((r) => recorded(r).amountMinor)).toEqual([5000n, 4000n])
    expect(balanceOf(inv!)).toBe(30)
    const [last] = await sync.payments.createMany(auth, [payment(inv!, 3000n)], 'job-pay-parts-2')
    expect(recorded(last).amountMinor).toBe(3000n)
    expect(balanceOf(inv!)).toBe(0)
    expect(company().get('Invoice', inv!.id)!.LinkedTxn).toHaveLength(3)
  })

  it('refuses a payment above what is due, naming both amounts, while the rest of the batch lands', async () => {
    const [a, b, c] = await invoices(3)
    const count = paymentsAt().length
    const before = emu.control.requests(REALM).length
    const results = await sync.payments.createMany(
      auth,
      [
        payment(a!, 12000n),
        payment(b!, 12001n),
        // Two payments to one invoice share its Balance: the second finds 40.00 left.
        payment(c!, 8000n),
        payment(c!, 5000n),
      ],
      'job-pay-over',
    )
    expect(results.map((r) => r.ok)).toEqual([true, false, true, false])
    expect(results[1]).toMatchObject({
      ok: false,
      error: {
        kind: 'validation',
        message: expect.stringMatching(/GBP 120\.01 is more than the GBP 120\.00 invoice PAY-\d+ has due/),
      },
    })
    expect(results[3]).toMatchObject({
      ok: false,
      error: { kind: 'validation', message: expect.stringMatching(/50\.00 is more than the GBP 40\.00/) },
    })
    // Refused before sending: the batch carried only the two that fit.
    expect(since(before)).toEqual(['select * from Invoice', 'batch'])
    const sent = JSON.parse(emu.control.requests(REALM).at(-1)!.body) as { BatchItemRequest: unknown[] }
    expect(sent.BatchItemRequest.map((i) => (i as { bId: string }).bId)).toEqual(['0', '2'])
    expect(paymentsAt()).toHaveLength(count + 2)
    expect([balanceOf(a!), balanceOf(b!), balanceOf(c!)]).toEqual([0, 120, 40])
  })

  it('refuses a deposit to an account that takes none, with QuickBooks’ reason; nothing is recorded', async () => {
    const [inv] = await invoices(1)
    const count = paymentsAt().length
    const [income] = await sync.payments.createMany(
      auth,
      [payment(inv!, 1000n, { account: { id: '1', code: null } })],
      'job-pay-income',
    )
    expect(income).toMatchObject({
      ok: false,
      error: {
        kind: 'validation',
        message: expect.stringMatching(/^6000 .*cannot receive a payment deposit/),
      },
    })
    const [archived] = await sync.payments.createMany(
      auth,
      [payment(inv!, 1000n, { account: { id: '91', code: null } })],
      'job-pay-archived',
    )
    expect(archived).toMatchObject({ ok: false, error: { kind: 'validation', message: /^610/ } })
    expect(paymentsAt()).toHaveLength(count)
    expect(balanceOf(inv!)).toBe(120)
  })

  it('records nothing twice when createMany is replayed with the same key', async () => {
    const [a, b] = await invoices(2)
    const batch = [payment(a!, 12000n), payment(b!, 2000n)]
    const first = await sync.payments.createMany(auth, batch, 'job-pay-replay')
    const count = paymentsAt().length
    const again = await sync.payments.createMany(auth, batch, 'job-pay-replay')
    expect(again.map((r) => recorded(r).id)).toEqual(first.map((r) => recorded(r).id))
    expect(again.map((r) => recorded(r).amountMinor)).toEqual([12000n, 2000n])
    expect(paymentsAt()).toHaveLength(count)
    expect([balanceOf(a!), balanceOf(b!)]).toEqual([0, 100])
    // The paid invoice's payment was found by our memo and not sent again; the other was replayed.
    const sent = JSON.parse(emu.control.requests(REALM).at(-1)!.body) as { BatchItemRequest: unknown[] }
    expect(sent.BatchItemRequest).toHaveLength(1)
  })

  it('finds a payment already recorded under another key by its memo, rather than paying twice', async () => {
    const [inv] = await invoices(1)
    const input = payment(inv!, 12000n)
    const [first] = await sync.payments.createMany(auth, [input], 'job-pay-memo-1')
    const count = paymentsAt().length
    const [second] = await sync.payments.createMany(auth, [input], 'job-pay-memo-2')
    expect(recorded(second).id).toBe(recorded(first).id)
    expect(paymentsAt()).toHaveLength(count)
  })

  it('pays a EUR invoice in EUR; fits a long reference to PaymentRefNum and keeps it whole in the memo', async () => {
    const eur = await createContact(
      sync,
      auth,
      { reference: 'c-eur', name: 'Lyon SARL', email: null, phone: null, currency: 'EUR' },
      'k-pay-eur',
    )
    const [inv] = await invoices(1, { currency: 'EUR', contact: eur })
    const reference = 'SEPA-2026-11-21-000123456789'
    const input = payment(inv!, 12000n, { contact: eur, currency: 'EUR', reference })
    const paid = recorded((await sync.payments.createMany(auth, [input], 'job-pay-eur'))[0])
    expect(paid.reference).toBe(reference.slice(0, 21))
    expect(company().get('Payment', paid.id)).toMatchObject({
      CurrencyRef: { value: 'EUR' },
      PaymentRefNum: reference.slice(0, 21),
      PrivateNote: `LedgerLink payment ${input.paymentId}\nReference: ${reference}`,
    })
    expect(balanceOf(inv!)).toBe(0)
    const [gbp] = await sync.payments.createMany(auth, [payment(inv!, 100n)], 'job-pay-eur-gbp')
    expect(gbp).toMatchObject({ ok: false, error: { kind: 'validation', message: /is in EUR, not GBP/ } })
  })
})

describe('QuickBooks payments: findForInvoices and remove', () => {
  it('lists the live payments of the invoices asked for: not deleted, not voided, not others', async () => {
    const [a, b, other] = await invoices(3)
    const [kept, deleted, voided] = (
      await sync.payments.createMany(
        auth,
        [payment(a!, 1000n), payment(a!, 2000n), payment(b!, 3000n)],
        'job-pay-find',
      )
    ).map(recorded)
    await sync.payments.createMany(auth, [payment(other!, 500n)], 'job-pay-find-other')
    await sync.payments.remove(auth, deleted!, 'job-pay-find-remove')
    const v = company().get('Payment', voided!.id)!
    emu.control.write(REALM, 'payment', { Id: v.Id, SyncToken: v.SyncToken }, 'void')
    const inQbo = emu.control.recordPayment({ realmId: REALM, invoiceId: b!.id, amount: 10 })

    const found = await sync.payments.findForInvoices(auth, [a!.id, b!.id])
    expect(found).toEqual([
      { ...kept!, version: company().get('Payment', kept!.id)!.SyncToken },
      {
        id: inQbo.Id,
        version: inQbo.SyncToken,
        invoiceId: b!.id,
        amountMinor: 1000n,
        date: inQbo.TxnDate,
        reference: null,
      },
    ])
  })

  it('removes a payment: the invoice Balance is back; removing it again succeeds', async () => {
    const [inv] = await invoices(1)
    const paid = recorded((await sync.payments.createMany(auth, [payment(inv!, 12000n)], 'job-pay-rm'))[0])
    expect(balanceOf(inv!)).toBe(0)
    await sync.payments.remove(auth, paid, 'job-pay-rm-1')
    expect(company().get('Payment', paid.id)).toBeUndefined()
    expect(company().get('Invoice', inv!.id)).toMatchObject({ Balance: 120, LinkedTxn: [] })
    await sync.payments.remove(auth, paid, 'job-pay-rm-2')
    await sync.payments.remove(auth, { id: paid.id }, 'job-pay-rm-3')
    expect(balanceOf(inv!)).toBe(120)
  })

  it('re-reads a SyncToken moved in QuickBooks once; closed books refuse as locked', async () => {
    const [inv] = await invoices(1)
    const paid = recorded((await sync.payments.createMany(auth, [payment(inv!, 6000n)], 'job-pay-st'))[0])
    const stored = company().get('Payment', paid.id)!
    emu.control.write(REALM, 'payment', { ...stored, sparse: true, PrivateNote: 'edited in QBO' })
    expect(company().get('Payment', paid.id)!.SyncToken).not.toBe(paid.version)

    emu.control.setBookCloseDate(REALM, '2026-11-30')
    try {
      const err = await expectKind(sync.payments.remove(auth, paid, 'job-pay-st-closed'), 'locked')
      expect(err.message).toMatch(/^6210 Account Period Closed/)
      expect(company().get('Payment', paid.id)).toBeDefined()
    } finally {
      emu.control.setBookCloseDate(REALM, null)
    }
    const before = emu.control.requests(REALM).length
    await sync.payments.remove(auth, paid, 'job-pay-st-remove')
    expect(since(before).map((p) => p.split('/').at(-1))).toEqual([
      'payment',
      'select * from Payment',
      'payment',
    ])
    expect(company().get('Payment', paid.id)).toBeUndefined()
    expect(balanceOf(inv!)).toBe(120)
  })
})
