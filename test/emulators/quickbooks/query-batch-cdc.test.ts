import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startQuickBooksEmulator, type QuickBooksEmulator } from './index.ts'
import { intuitDateTime } from './time.ts'
import { apiClient, connect, faultOf } from './test-support.ts'

let emu: QuickBooksEmulator
let api: ReturnType<typeof apiClient>

beforeEach(async () => {
  emu = await startQuickBooksEmulator()
  api = apiClient(emu, (await connect(emu)).accessToken)
})
afterEach(() => emu.close())

const line = (amount: number) => ({
  DetailType: 'SalesItemLineDetail',
  Amount: amount,
  SalesItemLineDetail: { ItemRef: { value: '3' } },
})

describe('query language subset', () => {
  it('filters with = LIKE IN and references, orders, pages and counts', async () => {
    const byName = await api.query("select * from Customer where DisplayName = 'Birchwood Dental'")
    expect(byName.json.QueryResponse).toMatchObject({ startPosition: 1, maxResults: 1 })
    expect(byName.json.QueryResponse.Customer[0].Id).toBe('2')
    const like = await api.query(
      "SELECT Id, DisplayName FROM Customer WHERE DisplayName LIKE '%d%' ORDERBY DisplayName DESC",
    )
    expect((like.json.QueryResponse.Customer as { DisplayName: string }[]).map((c) => c.DisplayName)).toEqual(
      ['Dana Whitfield', 'Cedar & Pine Outfitters', 'Birchwood Dental', 'Alder Street Bakery'],
    )
    const page = await api.query('select * from Account STARTPOSITION 3 MAXRESULTS 2')
    expect(page.json.QueryResponse).toMatchObject({ startPosition: 3, maxResults: 2 })
    const count = await api.query("select count(*) from Customer where Id IN ('1', '2', '3')")
    expect(count.json.QueryResponse).toEqual({ totalCount: 3 })
    await api.post('invoice', { CustomerRef: { value: '2' }, Line: [line(5)] })
    const invoices = await api.query("select * from Invoice where CustomerRef = '2'")
    expect(invoices.json.QueryResponse.Invoice).toHaveLength(1)
  })

  it('hides inactive name-list rows unless the query filters on Active; answers {} for no rows', async () => {
    const all = await api.query('select * from Customer')
    expect(all.json.QueryResponse.Customer).toHaveLength(4)
    const both = await api.query('select * from Customer where Active IN (true, false)')
    expect(both.json.QueryResponse.Customer).toHaveLength(5)
    expect(
      (await api.query("select * from Customer where DisplayName = 'Nobody'")).json.QueryResponse,
    ).toEqual({})
  })

  it('refuses OR (4000), an unknown property (4001) and an unknown entity', async () => {
    const or = await api.query("select * from Customer where Id = '1' OR Id = '2'")
    expect(faultOf(or)).toMatchObject({ code: '4000', Message: 'Error parsing query' })
    const prop = await api.query("select * from Customer where Colour = 'red'")
    expect(faultOf(prop)).toMatchObject({ code: '4001' })
    expect(faultOf(await api.query('select * from Spaceship')).code).toBe('4001')
  })

  it('also takes the query as a POST body', async () => {
    const res = await api.post('query?minorversion=75', 'select * from TaxCode')
    expect((res.json.QueryResponse.TaxCode as { Name: string }[]).map((t) => t.Name)).toEqual([
      'California',
      'New York City',
    ])
  })
})

describe('batch (2.4)', () => {
  it('runs items in order with their own faults, and hides an earlier item’s creation from later items', async () => {
    const res = await api.post('batch?minorversion=75', {
      BatchItemRequest: [
        { bId: '1', operation: 'create', Customer: { DisplayName: 'Batch Buyer' } },
        { bId: '2', operation: 'create', Customer: { DisplayName: 'Jordan Reyes' } },
        { bId: '3', operation: 'create', Invoice: { CustomerRef: { value: '1' }, Line: [line(10)] } },
        { bId: '4', Query: "select * from Item where Name = 'Design'" },
      ],
    })
    expect(res.status).toBe(200)
    const [a, b, c, d] = res.json.BatchItemResponse
    expect(a).toMatchObject({ bId: '1', Customer: { DisplayName: 'Batch Buyer' } })
    expect(b).toMatchObject({ bId: '2', Fault: { type: 'ValidationFault', Error: [{ code: '6240' }] } })
    expect(c.Invoice.TotalAmt).toBe(10)
    expect(d.QueryResponse.Item[0].Id).toBe('3')
    const chained = await api.post('batch', {
      BatchItemRequest: [
        { bId: 'a', operation: 'create', Customer: { Id: undefined, DisplayName: 'Chain Co' } },
        {
          bId: 'b',
          operation: 'create',
          Invoice: { CustomerRef: { value: String(Number(a.Customer.Id) + 1) }, Line: [line(1)] },
        },
      ],
    })
    expect(chained.json.BatchItemResponse[1].Fault.Error[0].code).toBe('2500')
  })

  it('refuses more than 30 items with Fault 1040', async () => {
    const items = Array.from({ length: 31 }, (_, i) => ({ bId: String(i), Query: 'select * from Term' }))
    const res = await api.post('batch', { BatchItemRequest: items })
    expect(res.status).toBe(400)
    expect(faultOf(res).code).toBe('1040')
    const ok = await api.post('batch', { BatchItemRequest: items.slice(0, 30) })
    expect(ok.json.BatchItemResponse).toHaveLength(30)
  })
})

describe('change data capture (2.9)', () => {
  it('returns what changed since a moment, including deletions as status Deleted', async () => {
    const since = intuitDateTime(emu.control.clock.now() - 1000)
    const inv = (await api.post('invoice', { CustomerRef: { value: '1' }, Line: [line(10)] })).json.Invoice
    const gone = (await api.post('invoice', { CustomerRef: { value: '1' }, Line: [line(20)] })).json.Invoice
    await api.post('invoice?operation=delete', { Id: gone.Id, SyncToken: gone.SyncToken })
    const res = await api.get(
      `cdc?entities=Invoice,Customer&changedSince=${encodeURIComponent(since)}&minorversion=75`,
    )
    const [invoices, customers] = res.json.CDCResponse[0].QueryResponse
    expect((invoices.Invoice as { Id: string; status?: string }[]).map((i) => [i.Id, i.status])).toEqual([
      [inv.Id, undefined],
      [gone.Id, 'Deleted'],
    ])
    expect(customers).toEqual({})
  })

  it('refuses a changedSince more than 30 days back and entities CDC does not support', async () => {
    const old = intuitDateTime(emu.control.clock.now() - 31 * 86_400_000)
    expect(faultOf(await api.get(`cdc?entities=Invoice&changedSince=${encodeURIComponent(old)}`)).code).toBe(
      '6000',
    )
    const now = encodeURIComponent(intuitDateTime(emu.control.clock.now()))
    expect(faultOf(await api.get(`cdc?entities=TaxCode&changedSince=${now}`)).code).toBe('6000')
    expect(faultOf(await api.get(`cdc?changedSince=${now}`)).code).toBe('2020')
  })
})
