import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_COMPANY, startQuickBooksEmulator, type QuickBooksEmulator } from './index.ts'
import { apiClient, connect, faultOf, REALM } from './test-support.ts'

/** What the sync engine relies on beyond the entity basics: search, the non-US tax model, updates. */
let emu: QuickBooksEmulator
afterEach(() => emu.close())

async function start(region: 'US' | 'GB' = 'US', multicurrency = false) {
  emu = await startQuickBooksEmulator({ companies: [{ ...DEFAULT_COMPANY, region, multicurrency }] })
  return apiClient(emu, (await connect(emu)).accessToken)
}
const ids = (rows: unknown) => (rows as { Id: string }[]).map((r) => r.Id)
const line = (amount: number, detail: Record<string, unknown>) => ({
  DetailType: 'SalesItemLineDetail',
  Amount: amount,
  SalesItemLineDetail: { ItemRef: { value: '1' }, ...detail },
})

describe('query filters the sync reads with', () => {
  it('matches PrimaryEmailAddr by its address (= and LIKE, case-insensitive for LIKE)', async () => {
    const api = await start()
    const exact = await api.query(
      "select * from Customer where PrimaryEmailAddr = 'billing@birchwood.example'",
    )
    expect(ids(exact.json.QueryResponse.Customer)).toEqual(['2'])
    const like = await api.query(
      "select * from Customer where PrimaryEmailAddr LIKE 'BILLING@birchwood.example'",
    )
    expect(like.json.QueryResponse.Customer[0].DisplayName).toBe('Birchwood Dental')
    const none = await api.query("select * from Customer where PrimaryEmailAddr = 'nobody@x.example'")
    expect(none.json.QueryResponse).toEqual({})
  })

  it('pages with STARTPOSITION/MAXRESULTS, answers an empty page past the end, caps at 1000', async () => {
    const api = await start()
    const all = await api.query('select * from Account where Active IN (true, false)')
    const n = all.json.QueryResponse.Account.length as number
    expect((all.json.QueryResponse.Account as { Active: boolean }[]).some((a) => !a.Active)).toBe(true)
    const last = await api.query(`select * from Account STARTPOSITION ${n - 1} MAXRESULTS 5`)
    expect(last.json.QueryResponse.maxResults).toBeLessThanOrEqual(2)
    expect((await api.query(`select * from Account STARTPOSITION ${n + 5}`)).json.QueryResponse).toEqual({})
    const big = await api.query('select * from Item MAXRESULTS 5000')
    expect(big.json.QueryResponse.maxResults).toBeLessThanOrEqual(1000)
  })
})

describe('a UK company (non-US tax model)', () => {
  it('taxes each line and rounds it before summing; backs tax out of inclusive lines', async () => {
    const api = await start('GB')
    // 0.03 at 20% is 0.006, so 0.01 per line: 0.03 in all, where 20% of the 0.09 sum would be 0.02.
    const lines = [0.03, 0.03, 0.03].map((a) => line(a, { TaxCodeRef: { value: '2' } }))
    const ex = await api.post('invoice', { CustomerRef: { value: '1' }, Line: lines })
    expect(ex.status).toBe(200)
    expect(ex.json.Invoice.TxnTaxDetail.TotalTax).toBe(0.03)
    expect(ex.json.Invoice.TotalAmt).toBe(0.12)
    expect(ex.json.Invoice.CurrencyRef.value).toBe('GBP')
    const inc = await api.post('invoice', {
      CustomerRef: { value: '1' },
      GlobalTaxCalculation: 'TaxInclusive',
      Line: [line(100, { TaxCodeRef: { value: '2' } }), line(10, { TaxCodeRef: { value: '3' } })],
    })
    expect(inc.json.Invoice.TxnTaxDetail.TotalTax).toBe(17.15) // 100 × 20/120 → 16.67, 10 × 5/105 → 0.48
    expect(inc.json.Invoice.TotalAmt).toBe(110)
  })

  it('refuses an unknown (2500) or retired (610) tax code', async () => {
    const api = await start('GB')
    const unknown = await api.post('invoice', {
      CustomerRef: { value: '1' },
      Line: [line(1, { TaxCodeRef: { value: '99' } })],
    })
    expect(faultOf(unknown).code).toBe('2500')
    const retired = await api.post('invoice', {
      CustomerRef: { value: '1' },
      Line: [line(1, { TaxCodeRef: { value: '6' } })],
    })
    expect(faultOf(retired).code).toBe('610')
  })

  it('checks Amount = Qty × UnitPrice in decimal: 1 × 1.005 is 1.01 (half up), not the 1.00 of binary floating point', async () => {
    const api = await start('GB')
    const ok = await api.post('invoice', {
      CustomerRef: { value: '1' },
      Line: [line(1.01, { Qty: 1, UnitPrice: 1.005 })],
    })
    expect(ok.status).toBe(200)
    const bad = await api.post('invoice', {
      CustomerRef: { value: '1' },
      Line: [line(1, { Qty: 1, UnitPrice: 1.005 })],
    })
    expect(faultOf(bad).code).toBe('6070')
  })

  it('refuses a currency the company has not turned on, and takes one it has', async () => {
    const api = await start('GB', true)
    const eur = await api.post('customer', { DisplayName: 'Euro Buyer', CurrencyRef: { value: 'EUR' } })
    expect(eur.status).toBe(200)
    const chf = await api.post('customer', { DisplayName: 'Franc Buyer', CurrencyRef: { value: 'CHF' } })
    expect(faultOf(chf).code).toBe('6000')
  })
})

describe('updates and references', () => {
  it('keeps the Line.Id of lines sent with it and gives new lines new ids', async () => {
    const api = await start()
    const created = (
      await api.post('invoice', { CustomerRef: { value: '1' }, Line: [line(1, {}), line(2, {})] })
    ).json.Invoice
    expect(ids(created.Line).slice(0, 2)).toEqual(['1', '2'])
    const updated = await api.post('invoice', {
      Id: created.Id,
      SyncToken: created.SyncToken,
      sparse: true,
      Line: [{ ...line(5, {}), Id: '2' }, line(3, {})],
    })
    expect(ids(updated.json.Invoice.Line).slice(0, 2)).toEqual(['2', '3'])
  })

  it('refuses a line posting to an archived account (610) or an unknown one (2500)', async () => {
    const api = await start()
    const archived = await api.post('invoice', {
      CustomerRef: { value: '1' },
      Line: [line(1, { ItemAccountRef: { value: '91' } })],
    })
    expect(faultOf(archived)).toMatchObject({ code: '610' })
    const unknown = await api.post('invoice', {
      CustomerRef: { value: '1' },
      Line: [line(1, { ItemAccountRef: { value: '999' } })],
    })
    expect(faultOf(unknown).code).toBe('2500')
  })

  it('gives 6240 when a new customer takes a vendor’s or an employee’s name', async () => {
    const api = await start()
    for (const DisplayName of ['Harbor Insurance Agency', 'jordan reyes'])
      expect(faultOf(await api.post('customer', { DisplayName })).code).toBe('6240')
  })

  it('applies a write whose answer is dropped (drop_after): the invoice is there afterwards', async () => {
    const api = await start()
    emu.control.injectFault({ kind: 'drop_after' })
    await expect(
      api.post('invoice?requestid=drop-1', {
        CustomerRef: { value: '1' },
        DocNumber: 'DROP-1',
        Line: [line(4, {})],
      }),
    ).rejects.toThrow()
    const found = await api.query("select * from Invoice where DocNumber = 'DROP-1'")
    expect(found.json.QueryResponse.Invoice).toHaveLength(1)
    expect(emu.control.company(REALM).list('Invoice')).toHaveLength(1)
    // The same requestid replays the original answer instead of writing again (2.5).
    const replay = await api.post('invoice?requestid=drop-1', {
      CustomerRef: { value: '1' },
      DocNumber: 'DROP-1',
      Line: [line(4, {})],
    })
    expect(replay.json.Invoice.DocNumber).toBe('DROP-1')
    expect(emu.control.company(REALM).list('Invoice')).toHaveLength(1)
  })
})
