import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  PaymentInput,
  PaymentItemResult,
  ProviderAccount,
  ProviderAuth,
  ProviderInvoice,
  ProviderSync,
} from '../../server/providers/sync-contract.ts'
import type { XeroEmulator } from '../emulators/xero/index.ts'
import { buildInvoice } from '../emulators/xero/sync-testing.ts'
import { UK } from '../emulators/xero/testing.ts'
import { expectKind } from './conformance.ts'
import { pushOneInvoice } from './invoices.ts'
import { connectXeroSync, standardSpec } from './xero-harness.ts'

/** The Xero adapter's payments (sync-contract.ts) against the emulated Xero, through the production code. */
let emu: XeroEmulator
let sync: ProviderSync
let uk: ProviderAuth
let rates: Map<string, string>
let acme: string
let bank: ProviderAccount
let revenue: ProviderAccount
let n = 0

beforeAll(async () => {
  ;({ emu, sync, auth: uk, rates, acme } = await connectXeroSync([UK]))
  const accounts = await sync.chart.accounts(uk)
  bank = accounts.find((a) => a.code === '090')!
  revenue = accounts.find((a) => a.code === '200')!
})
afterAll(() => emu.close())

/** An AUTHORISED invoice of 2 × 49.50 + 20% VAT: 118.80 GBP. */
async function invoice(): Promise<ProviderInvoice> {
  const spec = standardSpec(`XP-${++n}`, acme)
  const pushed = await pushOneInvoice(sync, uk, buildInvoice(sync, rates, spec), `job-inv-${n}`)
  expect(pushed.totals.totalMinor).toBe(11880n)
  return pushed
}

const payment = (
  inv: ProviderInvoice,
  amountMinor: bigint,
  over: Partial<PaymentInput> = {},
): PaymentInput => ({
  paymentId: `pay_${++n}`,
  invoice: { id: inv.id },
  contact: { id: acme },
  account: { id: bank.id, code: bank.code },
  currency: 'GBP',
  amountMinor,
  date: '2026-11-05',
  reference: `ref-pay-${n}`,
  method: 'card',
  ...over,
})

const stored = (inv: ProviderInvoice) => emu.control.organisation(UK).invoices.get(inv.id)!
const paymentsOf = (inv: ProviderInvoice) =>
  [...emu.control.organisation(UK).payments.values()].filter((p) => p.InvoiceID === inv.id)
const puts = () => emu.control.requests().filter((r) => r.path.endsWith('/Payments') && r.method === 'PUT')

function landed(r: PaymentItemResult | undefined) {
  if (!r?.ok) throw r?.error ?? new Error('no result')
  return r.payment
}
function refused(r: PaymentItemResult | undefined) {
  if (!r || r.ok) throw new Error('expected a refused payment')
  return r.error
}

describe('Xero payments: createMany', () => {
  it('pays an invoice in full: PAID with AmountDue 0, through one PUT with the Idempotency-Key', async () => {
    const inv = await invoice()
    const input = payment(inv, 11880n)
    const [result] = await sync.payments.createMany(uk, [input], 'job-pay-full')
    const paid = landed(result)
    expect(paid).toMatchObject({
      invoiceId: inv.id,
      amountMinor: 11880n,
      date: '2026-11-05',
      reference: input.reference,
    })
    expect(stored(inv)).toMatchObject({ Status: 'PAID', AmountDue: 0, AmountPaid: 118.8 })
    expect(emu.control.organisation(UK).payments.get(paid.id)).toMatchObject({
      AccountID: bank.id,
      Amount: 118.8,
      Status: 'AUTHORISED',
    })
    const put = puts().at(-1)!
    expect(put.query.summarizeErrors).toBe('false')
    expect(put.headers['idempotency-key']).toBe('job-pay-full:payments')
    // No method and no contact: Xero has no field for the one and takes the other from the invoice.
    expect(JSON.parse(put.body)).toEqual({
      Payments: [
        {
          Invoice: { InvoiceID: inv.id },
          Account: { AccountID: bank.id },
          Date: '2026-11-05',
          Amount: 118.8,
          Reference: input.reference,
        },
      ],
    })
  })

  it('takes part payments that add up to the total, the invoice PAID only at the end', async () => {
    const inv = await invoice()
    landed((await sync.payments.createMany(uk, [payment(inv, 5000n)], 'job-part-1'))[0])
    expect(stored(inv)).toMatchObject({ Status: 'AUTHORISED', AmountDue: 68.8, AmountPaid: 50 })
    const rest = await sync.payments.createMany(uk, [payment(inv, 3880n), payment(inv, 3000n)], 'job-part-2')
    expect(rest.map((r) => r.ok)).toEqual([true, true])
    expect(stored(inv)).toMatchObject({ Status: 'PAID', AmountDue: 0, AmountPaid: 118.8 })
    expect(paymentsOf(inv).map((p) => p.Amount)).toEqual([50, 38.8, 30])
  })

  it("refuses more than the amount due with Xero's message, as 'validation', while the other lands", async () => {
    const [over, fine] = [await invoice(), await invoice()]
    const results = await sync.payments.createMany(
      uk,
      [payment(over, 11881n), payment(fine, 11880n)],
      'job-over',
    )
    const error = refused(results[0])
    expect(error.kind).toBe('validation')
    expect(error.message).toBe('Payment amount exceeds the amount outstanding on this document')
    expect(error.correlationId).toBeTruthy()
    expect(landed(results[1]).invoiceId).toBe(fine.id)
    expect(paymentsOf(over)).toEqual([])
    expect(stored(over)).toMatchObject({ Status: 'AUTHORISED', AmountDue: 118.8 })
    expect(stored(fine)).toMatchObject({ Status: 'PAID', AmountDue: 0 })
  })

  it('refuses a payment to an account that takes no payments, and one to an archived bank account', async () => {
    const inv = await invoice()
    const old = emu.control.addAccount(UK, { Code: '092', Name: 'Closed Current Account', Type: 'BANK' })
    emu.control.archiveAccount(UK, '092')
    const results = await sync.payments.createMany(
      uk,
      [
        payment(inv, 1000n, { account: { id: revenue.id, code: revenue.code } }),
        payment(inv, 1000n, { account: { id: old.AccountID, code: old.Code } }),
      ],
      'job-accounts',
    )
    expect(refused(results[0])).toMatchObject({
      kind: 'validation',
      message: 'Account type is invalid for making a payment to/from',
    })
    expect(refused(results[1])).toMatchObject({ kind: 'validation', message: /'092' has been archived/ })
    expect(paymentsOf(inv)).toEqual([])
  })

  it('refuses a payment to an invoice that is no longer AUTHORISED (paid in Xero)', async () => {
    const inv = await invoice()
    emu.control.payInvoice(UK, inv.id)
    const [result] = await sync.payments.createMany(uk, [payment(inv, 100n)], 'job-paid')
    expect(refused(result)).toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('Payments can only be made against Authorised documents') as string,
    })
    expect(paymentsOf(inv)).toHaveLength(1)
  })

  it('fails an amount Xero cannot carry on its own, before the request, and sends the rest', async () => {
    const inv = await invoice()
    const before = puts().length
    const results = await sync.payments.createMany(
      uk,
      [payment(inv, 1001n, { currency: 'KWD' }), payment(inv, 1000n)],
      'job-kwd',
    )
    expect(refused(results[0]).kind).toBe('validation')
    expect(landed(results[1]).amountMinor).toBe(1000n)
    expect(puts().length - before).toBe(1)
    expect((JSON.parse(puts().at(-1)!.body) as { Payments: unknown[] }).Payments).toHaveLength(1)
  })

  it('records nothing twice when the same createMany is replayed with the same key', async () => {
    const inv = await invoice()
    const batch = [payment(inv, 2000n), payment(inv, 3000n)]
    // The first answer is lost on the way back; the engine retries with the same key.
    emu.control.injectFault({ kind: 'drop_after' })
    await expectKind(sync.payments.createMany(uk, batch, 'job-replay'), 'transient')
    const first = await sync.payments.createMany(uk, batch, 'job-replay')
    const again = await sync.payments.createMany(uk, batch, 'job-replay')
    expect(again.map((r) => landed(r).id)).toEqual(first.map((r) => landed(r).id))
    expect(paymentsOf(inv)).toHaveLength(2)
    expect(stored(inv)).toMatchObject({ AmountPaid: 50, AmountDue: 68.8 })
  })

  it('refuses more payments than one request carries', async () => {
    const inv = await invoice()
    const many = Array.from({ length: sync.payments.batchSize + 1 }, () => payment(inv, 1n))
    await expect(sync.payments.createMany(uk, many, 'job-many')).rejects.toThrow(RangeError)
    expect(paymentsOf(inv)).toEqual([])
  })
})

describe('Xero payments: findForInvoices and remove', () => {
  it('lists the live payments of these invoices, not deleted ones nor other invoices’', async () => {
    const [a, b, other] = [await invoice(), await invoice(), await invoice()]
    const [pa1, pa2, pb] = (
      await sync.payments.createMany(
        uk,
        [payment(a, 1000n), payment(a, 2000n, { reference: null }), payment(b, 3000n)],
        'job-find',
      )
    ).map(landed)
    landed((await sync.payments.createMany(uk, [payment(other, 500n)], 'job-find-other'))[0])
    await sync.payments.remove(uk, pa1!, 'job-find-remove')

    const found = await sync.payments.findForInvoices(uk, [a.id, b.id, a.id])
    expect(found.sort((x, y) => Number(x.amountMinor - y.amountMinor))).toEqual([
      {
        id: pa2!.id,
        version: null,
        url: null,
        invoiceId: a.id,
        amountMinor: 2000n,
        date: '2026-11-05',
        reference: null,
      },
      { ...pb, url: null, version: null },
    ])
    const get = emu.control
      .requests()
      .filter((r) => r.path.endsWith('/Payments') && r.method === 'GET')
      .at(-1)!
    expect(get.query).toMatchObject({ page: '1' })
    expect(get.query.where).toBe(`Invoice.InvoiceID==guid("${a.id}") OR Invoice.InvoiceID==guid("${b.id}")`)
  })

  it('looks many invoices up in chunks, each request a short where', async () => {
    const inv = await invoice()
    const paid = landed((await sync.payments.createMany(uk, [payment(inv, 700n)], 'job-chunks'))[0])
    const ids = [
      ...Array.from({ length: 40 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
      inv.id,
    ]
    const gets = () =>
      emu.control.requests().filter((r) => r.path.endsWith('/Payments') && r.method === 'GET')
    const before = gets().length
    expect((await sync.payments.findForInvoices(uk, ids)).map((p) => p.id)).toEqual([paid.id])
    const sent = gets().slice(before)
    expect(sent).toHaveLength(2)
    for (const r of sent) expect(r.query.where!.length).toBeLessThan(2000)
  })

  it('removes a payment, restoring the amount due; removing it again succeeds', async () => {
    const inv = await invoice()
    const paid = landed((await sync.payments.createMany(uk, [payment(inv, 11880n)], 'job-rm'))[0])
    expect(stored(inv).Status).toBe('PAID')
    await sync.payments.remove(uk, paid, 'job-rm-1')
    expect(emu.control.organisation(UK).payments.get(paid.id)?.Status).toBe('DELETED')
    expect(stored(inv)).toMatchObject({ Status: 'AUTHORISED', AmountDue: 118.8, AmountPaid: 0 })
    const write = emu.control
      .requests()
      .filter((r) => r.path.endsWith(`/Payments/${paid.id}`) && r.method === 'POST')
      .at(-1)!
    expect(JSON.parse(write.body)).toEqual({ Status: 'DELETED' })
    expect(write.headers['idempotency-key']).toBe('job-rm-1:delete')

    // A retry of the same job (its answer replayed), a later job, and a payment Xero never had.
    await sync.payments.remove(uk, paid, 'job-rm-1')
    await sync.payments.remove(uk, paid, 'job-rm-2')
    await sync.payments.remove(uk, { id: '00000000-0000-4000-8000-00000000dead' }, 'job-rm-3')
    expect(stored(inv)).toMatchObject({ Status: 'AUTHORISED', AmountDue: 118.8, AmountPaid: 0 })
  })

  it("reports a reconciled payment as 'locked' with Xero's reason, and leaves it paid", async () => {
    const inv = await invoice()
    const paid = landed((await sync.payments.createMany(uk, [payment(inv, 11880n)], 'job-rec'))[0])
    emu.control.reconcilePayment(UK, paid.id)
    const err = await expectKind(sync.payments.remove(uk, paid, 'job-rec-rm'), 'locked')
    expect(err.message).toMatch(/has been reconciled and cannot be deleted/)
    expect(emu.control.organisation(UK).payments.get(paid.id)?.Status).toBe('AUTHORISED')
    expect(stored(inv)).toMatchObject({ Status: 'PAID', AmountDue: 0 })
    expect((await sync.payments.findForInvoices(uk, [inv.id])).map((p) => p.id)).toEqual([paid.id])
  })
})
