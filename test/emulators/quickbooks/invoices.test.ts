import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startQuickBooksEmulator, type QuickBooksEmulator } from './index.ts'
import { apiClient, connect, faultOf, REALM } from './test-support.ts'

let emu: QuickBooksEmulator
let api: ReturnType<typeof apiClient>

beforeEach(async () => {
  emu = await startQuickBooksEmulator()
  api = apiClient(emu, (await connect(emu)).accessToken)
})
afterEach(() => emu.close())

const item = (id: string, amount: number, extra: Record<string, unknown> = {}) => ({
  DetailType: 'SalesItemLineDetail',
  Amount: amount,
  SalesItemLineDetail: { ItemRef: { value: id }, ...extra },
})
const invoice = (lines: unknown[], extra: Record<string, unknown> = {}) => ({
  CustomerRef: { value: '1' },
  Line: lines,
  ...extra,
})

describe('invoices: totals and automated sales tax (2.7, QB-P11)', () => {
  it('computes subtotal, AST tax per jurisdiction rate and the total; numbers DocNumber and DueDate', async () => {
    const res = await api.post(
      'invoice?minorversion=75',
      invoice([item('4', 100, { Qty: 2, UnitPrice: 50, TaxCodeRef: { value: 'TAX' } }), item('3', 75)], {
        TxnDate: '2026-03-01',
      }),
    )
    expect(res.status).toBe(200)
    const inv = res.json.Invoice
    expect(inv).toMatchObject({
      DocNumber: '1001',
      TxnDate: '2026-03-01',
      DueDate: '2026-03-31',
      SalesTermRef: { value: '3', name: 'Net 30' },
      TotalAmt: 183.75,
      Balance: 183.75,
      CustomerRef: { value: '1', name: 'Alder Street Bakery' },
      SyncToken: '0',
    })
    expect(inv.TxnTaxDetail).toEqual({
      TxnTaxCodeRef: { value: '2' },
      TotalTax: 8.75,
      TaxLine: [
        expect.objectContaining({
          Amount: 7.25,
          TaxLineDetail: expect.objectContaining({ TaxPercent: 7.25, NetAmountTaxable: 100 }),
        }),
        expect.objectContaining({ Amount: 1.5, TaxLineDetail: expect.objectContaining({ TaxPercent: 1.5 }) }),
      ],
    })
    expect(inv.Line[inv.Line.length - 1]).toEqual({
      Amount: 175,
      DetailType: 'SubTotalLineDetail',
      SubTotalLineDetail: {},
    })
    expect(inv.Line[1].SalesItemLineDetail.TaxCodeRef).toEqual({ value: 'NON' })
  })

  it('rounds each NY rate to the cent; charges no tax where the company has no nexus or the customer is exempt', async () => {
    const ny = await api.post('invoice', invoice([item('5', 19.99)], { CustomerRef: { value: '3' } }))
    expect((ny.json.Invoice.TxnTaxDetail.TaxLine as { Amount: number }[]).map((l) => l.Amount)).toEqual([
      0.8, 0.9, 0.07,
    ])
    expect(ny.json.Invoice.TotalAmt).toBe(21.76)
    const exempt = await api.post('invoice', invoice([item('5', 19.99)], { CustomerRef: { value: '4' } }))
    expect(exempt.json.Invoice.TxnTaxDetail).toEqual({ TotalTax: 0 })
  })

  it('keeps a line without ItemRef as documentation and ignores its Amount', async () => {
    const res = await api.post(
      'invoice',
      invoice([item('3', 75), { DetailType: 'SalesItemLineDetail', Amount: 500, SalesItemLineDetail: {} }]),
    )
    expect(res.json.Invoice.Line).toHaveLength(3)
    expect(res.json.Invoice.Line[1]).toMatchObject({ Amount: 0, DetailType: 'SalesItemLineDetail' })
    expect(res.json.Invoice.TotalAmt).toBe(75)
  })

  it('applies a percent discount line when the company allows discounts', async () => {
    const res = await api.post(
      'invoice',
      invoice([
        item('3', 200),
        { DetailType: 'DiscountLineDetail', DiscountLineDetail: { PercentBased: true, DiscountPercent: 10 } },
      ]),
    )
    expect(res.json.Invoice.TotalAmt).toBe(180)
    expect(res.json.Invoice.Line[1]).toMatchObject({ Amount: 20, DetailType: 'DiscountLineDetail' })
  })
})

describe('invoices: what QBO refuses (2.6, 2.7)', () => {
  const cases: [string, unknown, string][] = [
    ['no CustomerRef (2020)', { Line: [item('3', 1)] }, '2020'],
    ['no Line (2020)', { CustomerRef: { value: '1' } }, '2020'],
    ['unknown customer (2500)', invoice([item('3', 1)], { CustomerRef: { value: '999' } }), '2500'],
    ['inactive customer (610)', invoice([item('3', 1)], { CustomerRef: { value: '5' } }), '610'],
    ['unknown item (2500)', invoice([item('999', 1)]), '2500'],
    ['inactive item (610)', invoice([item('7', 10)]), '610'],
    ['a non-US tax code (6100)', invoice([item('3', 75, { TaxCodeRef: { value: '2' } })]), '6100'],
    ['Amount not Qty × UnitPrice (6070)', invoice([item('3', 100, { Qty: 2, UnitPrice: 75 })]), '6070'],
    [
      'a currency with multicurrency off (6000)',
      invoice([item('3', 1)], { CurrencyRef: { value: 'EUR' } }),
      '6000',
    ],
    ['an unknown property (2010)', invoice([item('3', 1, { Colour: 'red' })]), '2010'],
    ['a bad enumeration (2010)', invoice([{ DetailType: 'Nonsense', Amount: 1 }]), '2010'],
  ]
  it.each(cases)('refuses %s', async (_name, body, code) => {
    const res = await api.post('invoice', body)
    expect(res.status).toBe(400)
    expect(faultOf(res).code).toBe(code)
  })

  it('answers 6140 for a duplicate DocNumber unless include=allowduplicatedocnum', async () => {
    const first = await api.post('invoice', invoice([item('3', 1)], { DocNumber: 'INV-7' }))
    const dup = await api.post('invoice', invoice([item('3', 1)], { DocNumber: 'INV-7' }))
    expect(faultOf(dup)).toMatchObject({ code: '6140', Message: 'Duplicate Document Number Error' })
    expect(faultOf(dup).Detail).toContain(
      `DocNumber=INV-7 is assigned to TxnType=Invoice with TxnId=${String(first.json.Invoice.Id)}`,
    )
    const allowed = await api.post(
      'invoice?include=allowduplicatedocnum',
      invoice([item('3', 1)], { DocNumber: 'INV-7' }),
    )
    expect(allowed.status).toBe(200)
  })

  it('answers 6210 for a transaction dated in a closed period', async () => {
    emu.control.setBookCloseDate(REALM, '2025-12-31')
    const res = await api.post('invoice', invoice([item('3', 1)], { TxnDate: '2025-12-15' }))
    expect(faultOf(res)).toMatchObject({ code: '6210', Message: 'Account Period Closed' })
    expect((await api.post('invoice', invoice([item('3', 1)], { TxnDate: '2026-01-02' }))).status).toBe(200)
  })

  it('accepts a foreign currency once multicurrency is on and the customer uses it', async () => {
    emu.control.setMulticurrency(REALM, true)
    const eur = (await api.post('customer', { DisplayName: 'Euro GmbH', CurrencyRef: { value: 'EUR' } })).json
      .Customer
    const wrong = await api.post('invoice', invoice([item('3', 1)], { CurrencyRef: { value: 'EUR' } }))
    expect(faultOf(wrong).code).toBe('6000')
    const ok = await api.post('invoice', invoice([item('3', 1)], { CustomerRef: { value: eur.Id } }))
    expect(ok.json.Invoice.CurrencyRef.value).toBe('EUR')
  })
})

describe('invoices: update, void and delete (2.3, 2.7)', () => {
  it('requires the current SyncToken (5010) and recomputes totals on a sparse update', async () => {
    const inv = (await api.post('invoice', invoice([item('3', 75)]))).json.Invoice
    const sparse = await api.post('invoice', {
      Id: inv.Id,
      SyncToken: inv.SyncToken,
      sparse: true,
      Line: [item('3', 150)],
    })
    expect(sparse.json.Invoice).toMatchObject({ SyncToken: '1', TotalAmt: 150, DocNumber: inv.DocNumber })
    const stale = await api.post('invoice', { Id: inv.Id, SyncToken: '0', sparse: true, PrivateNote: 'x' })
    expect(faultOf(stale).code).toBe('5010')
  })

  it('voids: amounts zeroed, PrivateNote "Voided", the record kept', async () => {
    const inv = (await api.post('invoice', invoice([item('3', 75)]))).json.Invoice
    const voided = await api.post('invoice?operation=void', { Id: inv.Id, SyncToken: inv.SyncToken })
    expect(voided.json.Invoice).toMatchObject({
      TotalAmt: 0,
      Balance: 0,
      PrivateNote: 'Voided',
      SyncToken: '1',
    })
    expect((await api.get(`invoice/${String(inv.Id)}`)).status).toBe(200)
  })

  it('deletes with Id and SyncToken, answering status Deleted; a later read is 610', async () => {
    const inv = (await api.post('invoice', invoice([item('3', 75)]))).json.Invoice
    const del = await api.post('invoice?operation=delete', { Id: inv.Id, SyncToken: inv.SyncToken })
    expect(del.json.Invoice).toEqual({ status: 'Deleted', domain: 'QBO', Id: inv.Id })
    expect(faultOf(await api.get(`invoice/${String(inv.Id)}`)).code).toBe('610')
  })
})
