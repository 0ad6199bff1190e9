import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedIds, standardLine } from './fixtures.ts'
import { SAGE_DEMO_IDS, startSageEmulator, type SageEmulator } from './index.ts'
import { apiClient, asErrors, asItem, connect, type Item } from './testing.ts'

let emu: SageEmulator
let api: ReturnType<typeof apiClient>
let ids: ReturnType<typeof seedIds>
let invoiceId: string
beforeEach(async () => {
  emu = await startSageEmulator()
  api = apiClient(emu, (await connect(emu)).access_token, SAGE_DEMO_IDS.hartley)
  ids = seedIds(emu)
  invoiceId = await newInvoice('ACME001')
})
afterEach(() => emu.close())

async function newInvoice(contact: string): Promise<string> {
  const res = await api('/sales_invoices', {
    method: 'POST',
    body: {
      sales_invoice: {
        contact_id: ids.contact(contact),
        date: '2026-11-02',
        invoice_lines: [standardLine(ids.ledger(4000))],
      },
    },
  })
  return (await asItem(res)).id
}
const pay = (payment: Record<string, unknown>) =>
  api('/contact_payments', { method: 'POST', body: { contact_payment: payment } })
const receipt = (amount: number, extra: Record<string, unknown> = {}) => ({
  transaction_type_id: 'CUSTOMER_RECEIPT',
  contact_id: ids.contact('ACME001'),
  bank_account_id: ids.bank,
  date: '2026-11-10',
  total_amount: amount,
  allocated_artefacts: [{ artefact_id: invoiceId, amount }],
  ...extra,
})
const invoice = async () => asItem(await api(`/sales_invoices/${invoiceId}?show_payments_allocations=true`))
const ref = (item: Item) => ({ id: item.id, displayed_as: item.displayed_as, $path: item.$path })

describe('POST /contact_payments', () => {
  it('201; the invoice goes part paid, then paid with nothing outstanding', async () => {
    const res = await pay(receipt(20))
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({
      transaction_type: { id: 'CUSTOMER_RECEIPT' },
      total_amount: 20,
      bank_account: { id: ids.bank },
      allocated_artefacts: [{ artefact: { id: invoiceId, displayed_as: 'SI-1' }, amount: 20 }],
    })
    expect(await invoice()).toMatchObject({
      status: { id: 'PART_PAID' },
      outstanding_amount: 100,
      total_paid: 20,
      editable: false,
    })
    await pay(receipt(100, { date: '2026-11-12' }))
    expect(await invoice()).toMatchObject({
      status: { id: 'PAID' },
      outstanding_amount: 0,
      total_paid: 120,
      last_paid: '2026-11-12',
    })
  })

  it('refuses an allocation above the amount outstanding', async () => {
    const res = await pay(receipt(120.01))
    expect(res.status).toBe(422)
    expect((await res.json())[0]).toMatchObject({
      $dataCode: 'RecordInvalid',
      $source: 'allocated_artefacts',
    })
    expect((await invoice()).outstanding_amount).toBe(120)
  })

  it('refuses a total that does not equal the allocations (without a payment on account)', async () => {
    const res = await pay(receipt(50, { allocated_artefacts: [{ artefact_id: invoiceId, amount: 40 }] }))
    expect(res.status).toBe(422)
    expect((await res.json())[0].$source).toBe('total_amount')
  })

  it.each([
    ['an unknown bank account', () => ({ bank_account_id: 'f'.repeat(32) })],
    ['a ledger account id in place of a bank account', () => ({ bank_account_id: ids.ledger(1200) })],
    ['a transaction type other than CUSTOMER_RECEIPT', () => ({ transaction_type_id: 'VENDOR_PAYMENT' })],
  ])('%s is RecordNotFound', async (_, extra) => {
    const fields = extra()
    expect((await pay(receipt(10, fields))).status).toBe(404)
  })

  it("refuses to allocate another contact's invoice, or a void one", async () => {
    const other = await newInvoice('NORTH001')
    expect(
      (await pay(receipt(10, { allocated_artefacts: [{ artefact_id: other, amount: 10 }] }))).status,
    ).toBe(404)
    await api(`/sales_invoices/${invoiceId}?void_reason=Wrong`, { method: 'DELETE' })
    expect((await pay(receipt(10))).status).toBe(422)
  })

  it('refuses a receipt in another currency than the invoice it is allocated to', async () => {
    const res = await pay(receipt(20, { currency_id: 'EUR' }))
    expect(res.status).toBe(422)
    expect((await asErrors(res))[0]).toMatchObject({ $dataCode: 'RecordInvalid', $source: 'currency_id' })
    expect((await invoice()).outstanding_amount).toBe(120)
  })

  it("a foreign-currency invoice is paid in its currency, at the business's rate unless one is sent", async () => {
    const res = await api('/sales_invoices', {
      method: 'POST',
      body: {
        sales_invoice: {
          contact_id: ids.contact('GLOBEX01'),
          date: '2026-11-02',
          invoice_lines: [standardLine(ids.ledger(4000))],
        },
      },
    })
    const eur = (await asItem(res)).id
    const body = {
      ...receipt(120),
      contact_id: ids.contact('GLOBEX01'),
      currency_id: 'EUR',
      allocated_artefacts: [{ artefact_id: eur, amount: 120 }],
    }
    const paid = await pay(body)
    expect(paid.status).toBe(201)
    expect(await paid.json()).toMatchObject({
      currency: { id: 'EUR' },
      exchange_rate: 1.17,
      total_amount: 120,
      base_currency_total_amount: 102.56,
    })
    expect(await asItem(await api(`/sales_invoices/${eur}`))).toMatchObject({
      status: { id: 'PAID' },
      outstanding_amount: 0,
    })
  })

  it('deleting a payment gives the invoice its balance back', async () => {
    const payment = await (await pay(receipt(120))).json()
    expect((await api(`/contact_payments/${payment.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(await invoice()).toMatchObject({
      status: { id: 'UNPAID' },
      outstanding_amount: 120,
      last_paid: null,
    })
  })
})

describe("a sales invoice's payments_allocations", () => {
  it('lists the live receipts set against it when asked, each with its amount and a link to the payment', async () => {
    const first = await asItem(await pay(receipt(20, { reference: 'BACS 1' })))
    const second = await asItem(await pay(receipt(30, { date: '2026-11-12' })))
    expect((await invoice()).payments_allocations).toEqual([
      expect.objectContaining({
        date: '2026-11-10',
        reference: 'BACS 1',
        amount: 20,
        contact_payment: expect.objectContaining({ id: first.id, $path: `/contact_payments/${first.id}` }),
        contact_allocation: null,
      }),
      expect.objectContaining({ date: '2026-11-12', amount: 30, contact_payment: { ...ref(second) } }),
    ])
    // Only on request (show_payments_allocations), as Sage shows them.
    expect(await asItem(await api(`/sales_invoices/${invoiceId}`))).not.toHaveProperty('payments_allocations')
    await api(`/contact_payments/${first.id}`, { method: 'DELETE' })
    expect((await invoice()).payments_allocations).toEqual([
      expect.objectContaining({ contact_payment: expect.objectContaining({ id: second.id }) }),
    ])
  })
})

describe('DELETE /contact_payments/{key}', () => {
  it('refuses while the receipt is cleared against the bank feed, and deletes once it is not', async () => {
    const payment = await asItem(await pay(receipt(120)))
    emu.control.setPaymentCleared(SAGE_DEMO_IDS.hartley, payment.id, true)
    expect(await asItem(await api(`/contact_payments/${payment.id}`))).toMatchObject({ editable: false })
    const refused = await api(`/contact_payments/${payment.id}`, { method: 'DELETE' })
    expect(refused.status).toBe(422)
    expect((await asErrors(refused))[0]).toMatchObject({ $dataCode: 'RecordInvalid', $source: 'base' })
    expect(await invoice()).toMatchObject({ status: { id: 'PAID' }, outstanding_amount: 0 })

    emu.control.setPaymentCleared(SAGE_DEMO_IDS.hartley, payment.id, false)
    expect((await api(`/contact_payments/${payment.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await invoice()).outstanding_amount).toBe(120)
  })

  it('a payment already deleted is RecordNotFound', async () => {
    const payment = await asItem(await pay(receipt(120)))
    expect((await api(`/contact_payments/${payment.id}`, { method: 'DELETE' })).status).toBe(204)
    const again = await api(`/contact_payments/${payment.id}`, { method: 'DELETE' })
    expect(again.status).toBe(404)
    expect((await asErrors(again))[0]!.$dataCode).toBe('RecordNotFound')
  })
})

describe('a payment made in Sage (control)', () => {
  it('pays the invoice and shows up to a poller', async () => {
    const since = new Date(emu.control.clock.now()).toISOString()
    emu.control.advanceClock(10_000)
    emu.control.recordPayment({ businessId: SAGE_DEMO_IDS.hartley, invoiceId })
    const changedInvoices = await (
      await api(`/sales_invoices?updated_or_created_since=${encodeURIComponent(since)}&attributes=status`)
    ).json()
    expect(changedInvoices.$items).toEqual([
      expect.objectContaining({ id: invoiceId, status: expect.objectContaining({ id: 'PAID' }) }),
    ])
    const payments = await (
      await api(`/contact_payments?updated_or_created_since=${encodeURIComponent(since)}`)
    ).json()
    expect(payments.$total).toBe(1)
  })
})
