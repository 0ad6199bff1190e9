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

  it('keeps PaymentRefNum to 21 characters: a longer one is Fault 2050 naming the field', async () => {
    const fits = await api.post('payment', pay(10, 10, { PaymentRefNum: 'R'.repeat(21) }))
    expect(fits.json.Payment).toMatchObject({ PaymentRefNum: 'R'.repeat(21) })
    const long = await api.post('payment', pay(10, 10, { PaymentRefNum: 'R'.repeat(22) }))
    expect(long.status).toBe(400)
    expect(long.json.Fault.Error[0]).toMatchObject({ code: '2050', element: 'PaymentRefNum' })
    expect(faultOf(long).Detail).toMatch(/Max:21 supported\. Supplied length:22$/)
    expect((await api.get(`invoice/${String(inv.Id)}`)).json.Invoice.Balance).toBe(90)
  })

  it('deletes only at the current SyncToken; a deleted payment is not found; closed books refuse', async () => {
    const p = (await api.post('payment', pay(100, 100))).json.Payment
    const invoice = (await api.get(`invoice/${String(inv.Id)}`)).json.Invoice
    // Someone edits the payment in QuickBooks: our SyncToken is stale.
    emu.control.write(undefined, 'payment', {
      ...pay(100, 100),
      Id: p.Id,
      SyncToken: p.SyncToken,
      PrivateNote: 'x',
    })
    const stale = await api.post('payment?operation=delete', { Id: p.Id, SyncToken: p.SyncToken })
    expect(faultOf(stale).code).toBe('5010')
    expect(emu.control.company().get('Payment', String(p.Id))).toBeDefined()
    expect((await api.get(`invoice/${String(inv.Id)}`)).json.Invoice.Balance).toBe(0)

    const now = emu.control.company().get('Payment', String(p.Id))!
    emu.control.setBookCloseDate(emu.control.realmIds()[0]!, String(now.TxnDate))
    const closed = await api.post('payment?operation=delete', { Id: p.Id, SyncToken: now.SyncToken })
    expect(faultOf(closed).code).toBe('6210')
    emu.control.setBookCloseDate(emu.control.realmIds()[0]!, null)

    const gone = await api.post('payment?operation=delete', { Id: p.Id, SyncToken: now.SyncToken })
    expect(gone.json.Payment).toMatchObject({ Id: p.Id, status: 'Deleted' })
    const after = (await api.get(`invoice/${String(inv.Id)}`)).json.Invoice
    expect(after).toMatchObject({ Balance: 100, LinkedTxn: [] })
    expect(Number(after.SyncToken)).toBeGreaterThan(Number(invoice.SyncToken))
    const again = await api.post('payment?operation=delete', { Id: p.Id, SyncToken: now.SyncToken })
    expect(faultOf(again)).toMatchObject({ code: '610', Message: 'Object Not Found' })
  })

  it('answers a repeated requestid with the first answer, alone or in a batch, recording once', async () => {
    const first = await api.post('payment?requestid=pay-1', pay(30, 30))
    const again = await api.post('payment?requestid=pay-1', pay(30, 30))
    expect(again.json.Payment.Id).toBe(first.json.Payment.Id)
    const item = { bId: '0', operation: 'create', Payment: pay(20, 20) }
    const batch = await api.post('batch?requestid=pay-batch-1', { BatchItemRequest: [item] })
    const replay = await api.post('batch?requestid=pay-batch-1', { BatchItemRequest: [item] })
    expect(replay.json.BatchItemResponse[0].Payment.Id).toBe(batch.json.BatchItemResponse[0].Payment.Id)
    expect(emu.control.company().list('Payment')).toHaveLength(2)
    expect((await api.get(`invoice/${String(inv.Id)}`)).json.Invoice.Balance).toBe(50)
  })

  it('records a payment made in QuickBooks through the control API', async () => {
    const p = emu.control.recordPayment({ invoiceId: inv.Id, depositToAccountId: '35' })
    expect(p).toMatchObject({ TotalAmt: 100, UnappliedAmt: 0 })
    expect((await api.get(`invoice/${String(inv.Id)}`)).json.Invoice.Balance).toBe(0)
  })
})
