import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startQuickBooksEmulator, type QuickBooksEmulator } from './index.ts'
import { apiClient, connect, faultOf } from './test-support.ts'

let emu: QuickBooksEmulator
let api: ReturnType<typeof apiClient>
let inv: { Id: string; SyncToken: string }

beforeEach(async () => {
  emu = await startQuickBooksEmulator()
  api = apiClient(emu, (await connect(emu)).accessToken)
  const line = {
    DetailType: 'SalesItemLineDetail',
    Amount: 100,
    SalesItemLineDetail: { ItemRef: { value: '3' } },
  }
  inv = (await api.post('invoice', { CustomerRef: { value: '2' }, Line: [line] })).json.Invoice
})
afterEach(() => emu.close())

const pay = (amount: number, applied: number, extra: Record<string, unknown> = {}) => ({
  CustomerRef: { value: '2' },
  TotalAmt: amount,
  Line: [{ Amount: applied, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }],
  ...extra,
})

describe('payments (2.7)', () => {
  it('applies to an invoice: Balance falls, LinkedTxn shows the payment, the invoice SyncToken moves', async () => {
    const p = await api.post('payment?minorversion=75', pay(60, 60, { DepositToAccountRef: { value: '35' } }))
    expect(p.json.Payment).toMatchObject({
      TotalAmt: 60,
      UnappliedAmt: 0,
      DepositToAccountRef: { value: '35', name: 'Checking' },
      Line: [{ Amount: 60, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }],
    })
    const after = (await api.get(`invoice/${String(inv.Id)}`)).json.Invoice
    expect(after).toMatchObject({
      Balance: 40,
      SyncToken: '1',
      LinkedTxn: [{ TxnId: p.json.Payment.Id, TxnType: 'Payment' }],
    })
    expect((await api.get('customer/2')).json.Customer.Balance).toBe(40)
  })

  it('keeps what TotalAmt leaves over as UnappliedAmt, and defaults the deposit to Undeposited Funds', async () => {
    const p = await api.post('payment', pay(150, 100))
    expect(p.json.Payment).toMatchObject({ UnappliedAmt: 50, DepositToAccountRef: { value: '4' } })
    expect((await api.get('customer/2')).json.Customer.Balance).toBe(-50)
  })

  it('refuses more than the open balance, lines above TotalAmt, and a deposit account that cannot take one', async () => {
    expect(faultOf(await api.post('payment', pay(120, 120))).code).toBe('6000')
    expect(faultOf(await api.post('payment', pay(50, 60))).code).toBe('6000')
    const income = await api.post('payment', pay(10, 10, { DepositToAccountRef: { value: '1' } }))
    expect(faultOf(income)).toMatchObject({ code: '6000' })
    expect(faultOf(income).Detail).toMatch(/^Business Validation Error: /)
    const archived = await api.post('payment', pay(10, 10, { DepositToAccountRef: { value: '91' } }))
    expect(faultOf(archived).code).toBe('610')
    expect(faultOf(await api.post('payment', { CustomerRef: { value: '2' } })).code).toBe('2020')
  })

  it('refuses to apply another customer’s invoice', async () => {
    const res = await api.post('payment', { ...pay(10, 10), CustomerRef: { value: '1' } })
    expect(faultOf(res).code).toBe('6000')
  })

  it('applies a credit memo through the same LinkedTxn lines', async () => {
    const line = {
      DetailType: 'SalesItemLineDetail',
      Amount: 30,
      SalesItemLineDetail: { ItemRef: { value: '3' } },
    }
    const cm = (await api.post('creditmemo', { CustomerRef: { value: '2' }, Line: [line] })).json.CreditMemo
    expect(cm).toMatchObject({ TotalAmt: 30, RemainingCredit: 30, Balance: 30 })
    const p = await api.post('payment', {
      CustomerRef: { value: '2' },
      TotalAmt: 0,
      Line: [
        { Amount: 30, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] },
        { Amount: 30, LinkedTxn: [{ TxnId: cm.Id, TxnType: 'CreditMemo' }] },
      ],
    })
    expect(p.status).toBe(200)
    expect((await api.get(`creditmemo/${String(cm.Id)}`)).json.CreditMemo).toMatchObject({
      RemainingCredit: 0,
    })
    expect((await api.get(`invoice/${String(inv.Id)}`)).json.Invoice.Balance).toBe(70)
  })

  it('restores the invoice balance when the payment is voided or deleted', async () => {
    const p = (await api.post('payment', pay(100, 100))).json.Payment
    expect((await api.get(`invoice/${String(inv.Id)}`)).json.Invoice.Balance).toBe(0)
    const voided = await api.post('payment?operation=void', { Id: p.Id, SyncToken: p.SyncToken })
    expect(voided.json.Payment).toMatchObject({ TotalAmt: 0, PrivateNote: 'Voided' })
    expect((await api.get(`invoice/${String(inv.Id)}`)).json.Invoice.Balance).toBe(100)
    const q = (await api.post('payment', pay(100, 100))).json.Payment
    await api.post('payment?operation=delete', { Id: q.Id, SyncToken: q.SyncToken })
    expect((await api.get(`invoice/${String(inv.Id)}`)).json.Invoice.Balance).toBe(100)
  })

  it('records a payment made in QuickBooks through the control API', async () => {
    const p = emu.control.recordPayment({ invoiceId: inv.Id, depositToAccountId: '35' })
    expect(p).toMatchObject({ TotalAmt: 100, UnappliedAmt: 0 })
    expect((await api.get(`invoice/${String(inv.Id)}`)).json.Invoice.Balance).toBe(0)
  })
})
