import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startQuickBooksEmulator, type QuickBooksEmulator } from './index.ts'
import { apiClient, connect, faultOf } from './test-support.ts'

/**
 * CreditMemo as the credit-note sync relies on it (PROVIDERS 2.7): the Invoice's line structure,
 * RemainingCredit, no void, delete at the current SyncToken, and a Payment of 0 that sets it
 * against an invoice of the same customer, undone by deleting that Payment.
 */
let emu: QuickBooksEmulator
let api: ReturnType<typeof apiClient>
let inv: { Id: string; SyncToken: string }
let cm: { Id: string; SyncToken: string; DocNumber: string }

const line = (amount: number) => ({
  DetailType: 'SalesItemLineDetail',
  Amount: amount,
  SalesItemLineDetail: { ItemRef: { value: '3' } },
})
const doc = (amount: number, extra: Record<string, unknown> = {}) => ({
  CustomerRef: { value: '2' },
  Line: [line(amount)],
  ...extra,
})
/** A Payment of TotalAmt 0 setting `credit` of the credit memo against `charge` of the invoice. */
const apply = (charge: number, credit = charge, o: { invoice?: string; memo?: string } = {}) => ({
  CustomerRef: { value: '2' },
  TotalAmt: 0,
  Line: [
    { Amount: charge, LinkedTxn: [{ TxnId: o.invoice ?? inv.Id, TxnType: 'Invoice' }] },
    { Amount: credit, LinkedTxn: [{ TxnId: o.memo ?? cm.Id, TxnType: 'CreditMemo' }] },
  ],
})
const memoNow = async () => (await api.get(`creditmemo/${cm.Id}`)).json.CreditMemo as Record<string, unknown>
const invoiceNow = async () => (await api.get(`invoice/${inv.Id}`)).json.Invoice as Record<string, unknown>

beforeEach(async () => {
  emu = await startQuickBooksEmulator()
  api = apiClient(emu, (await connect(emu)).accessToken)
  inv = (await api.post('invoice', doc(100))).json.Invoice
  cm = (await api.post('creditmemo', doc(40, { DocNumber: 'CM-1' }))).json.CreditMemo
})
afterEach(() => emu.close())

describe('credit memos (2.7)', () => {
  it('keeps the whole total as RemainingCredit; accepts a DocNumber another credit memo has', async () => {
    expect(cm).toMatchObject({
      TotalAmt: 40,
      Balance: 40,
      RemainingCredit: 40,
      LinkedTxn: [],
      SyncToken: '0',
    })
    const twin = await api.post('creditmemo', doc(5, { DocNumber: 'CM-1' }))
    expect(twin.status).toBe(200)
    expect(twin.json.CreditMemo).toMatchObject({ DocNumber: 'CM-1' })
  })

  it('offers no void; updates and deletes only at the current SyncToken', async () => {
    const voided = await api.post('creditmemo?operation=void', { Id: cm.Id, SyncToken: cm.SyncToken })
    expect(faultOf(voided)).toMatchObject({ code: '500', Message: 'Unsupported Operation' })
    const edited = await api.post('creditmemo', {
      ...doc(40),
      Id: cm.Id,
      SyncToken: cm.SyncToken,
      sparse: true,
    })
    expect(edited.json.CreditMemo.SyncToken).toBe('1')
    const stale = await api.post('creditmemo', {
      ...doc(41),
      Id: cm.Id,
      SyncToken: cm.SyncToken,
      sparse: true,
    })
    expect(faultOf(stale).code).toBe('5010')
    const staleDelete = await api.post('creditmemo?operation=delete', { Id: cm.Id, SyncToken: '0' })
    expect(faultOf(staleDelete).code).toBe('5010')
    const gone = await api.post('creditmemo?operation=delete', { Id: cm.Id, SyncToken: '1' })
    expect(gone.json.CreditMemo).toMatchObject({ Id: cm.Id, status: 'Deleted' })
    expect((await api.get(`creditmemo/${cm.Id}`)).status).toBe(400)
  })

  it('sets a credit against an invoice with a Payment of 0: both balances, links and SyncTokens move', async () => {
    const p = await api.post('payment', apply(30))
    expect(p.json.Payment).toMatchObject({ TotalAmt: 0, UnappliedAmt: 0 })
    const payment = p.json.Payment as { Id: string; SyncToken: string }
    expect(await memoNow()).toMatchObject({
      Balance: 10,
      RemainingCredit: 10,
      SyncToken: '1',
      LinkedTxn: [{ TxnId: payment.Id, TxnType: 'Payment' }],
    })
    expect(await invoiceNow()).toMatchObject({
      Balance: 70,
      SyncToken: '1',
      LinkedTxn: [{ TxnId: payment.Id, TxnType: 'Payment' }],
    })
    // Our SyncToken from before the allocation is stale now.
    const stale = await api.post('creditmemo', {
      ...doc(40),
      Id: cm.Id,
      SyncToken: cm.SyncToken,
      sparse: true,
    })
    expect(faultOf(stale).code).toBe('5010')

    await api.post('payment?operation=delete', { Id: payment.Id, SyncToken: payment.SyncToken })
    expect(await memoNow()).toMatchObject({ Balance: 40, RemainingCredit: 40, LinkedTxn: [] })
    expect(await invoiceNow()).toMatchObject({ Balance: 100, LinkedTxn: [] })
    expect((await api.get('customer/2')).json.Customer.Balance).toBe(60)
  })

  it('refuses more than the credit left, more than the invoice has open, and credits above the charges', async () => {
    await api.post('payment', apply(30))
    expect(faultOf(await api.post('payment', apply(20))).code).toBe('6000')
    const small = (await api.post('invoice', doc(5))).json.Invoice as { Id: string }
    expect(faultOf(await api.post('payment', apply(6, 6, { invoice: small.Id }))).code).toBe('6000')
    const over = faultOf(await api.post('payment', apply(5, 10, { invoice: small.Id })))
    expect(over).toMatchObject({ code: '6000' })
    expect(over.Detail).toMatch(/credits applied are more than the charges/)
    expect(await memoNow()).toMatchObject({ RemainingCredit: 10 })
    expect(emu.control.company().list('Payment')).toHaveLength(1)
  })

  it('refuses another customer’s credit memo', async () => {
    const theirs = (await api.post('creditmemo', { ...doc(10), CustomerRef: { value: '1' } })).json.CreditMemo
    const res = await api.post('payment', apply(10, 10, { memo: String(theirs.Id) }))
    expect(faultOf(res).code).toBe('6000')
    expect(faultOf(res).Detail).toMatch(/belongs to another customer/)
  })

  it('answers a repeated requestid with the first answer, setting the credit once', async () => {
    const first = await api.post('payment?requestid=alloc-1', apply(25))
    const again = await api.post('payment?requestid=alloc-1', apply(25))
    expect(again.json.Payment.Id).toBe(first.json.Payment.Id)
    expect(emu.control.company().list('Payment')).toHaveLength(1)
    expect(await memoNow()).toMatchObject({ RemainingCredit: 15 })
    expect(await invoiceNow()).toMatchObject({ Balance: 75 })
  })
})
