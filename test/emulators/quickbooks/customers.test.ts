import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startQuickBooksEmulator, type QuickBooksEmulator } from './index.ts'
import { apiClient, connect, faultOf } from './test-support.ts'

let emu: QuickBooksEmulator
let api: ReturnType<typeof apiClient>

beforeEach(async () => {
  emu = await startQuickBooksEmulator()
  api = apiClient(emu, (await connect(emu)).accessToken)
})
afterEach(() => emu.close())

describe('customers (PROVIDERS 2.7)', () => {
  it('creates a customer and wraps it with Id, SyncToken "0", MetaData and time', async () => {
    const res = await api.post('customer?minorversion=75', {
      DisplayName: 'Fern Hill Florist',
      PrimaryEmailAddr: { Address: 'ap@fernhill.example' },
    })
    expect(res.status).toBe(200)
    expect(res.json.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-07:00$/)
    expect(res.json.Customer).toMatchObject({
      DisplayName: 'Fern Hill Florist',
      SyncToken: '0',
      Active: true,
      Balance: 0,
      domain: 'QBO',
      CurrencyRef: { value: 'USD', name: 'United States Dollar' },
      MetaData: { CreateTime: expect.any(String), LastUpdatedTime: expect.any(String) },
    })
    const read = await api.get(`customer/${String(res.json.Customer.Id)}`)
    expect(read.json.Customer).toEqual(res.json.Customer)
  })

  it('builds DisplayName from the name parts, and answers 6080 when there are none', async () => {
    const made = await api.post('customer', { GivenName: 'Ana', FamilyName: 'Lopez' })
    expect(made.json.Customer.DisplayName).toBe('Ana Lopez')
    const none = await api.post('customer', { CompanyName: 'Only a company' })
    expect(none.status).toBe(400)
    expect(faultOf(none).code).toBe('6080')
  })

  it('answers 6240 for a DisplayName used by any customer, vendor or employee, ignoring case', async () => {
    for (const name of ['alder street bakery', 'Harbor Insurance Agency', 'Jordan Reyes']) {
      const res = await api.post('customer', { DisplayName: name })
      expect(res.status).toBe(400)
      expect(res.json.Fault.type).toBe('ValidationFault')
      expect(faultOf(res)).toMatchObject({ code: '6240', Message: 'Duplicate Name Exists Error' })
    }
  })

  it('renames an inactivated customer "(deleted)", which frees the name', async () => {
    const made = (await api.post('customer', { DisplayName: 'Gone Soon' })).json.Customer
    const off = await api.post('customer', { ...made, Active: false })
    expect(off.json.Customer.DisplayName).toBe('Gone Soon (deleted)')
    expect((await api.post('customer', { DisplayName: 'Gone Soon' })).status).toBe(200)
  })

  it('updates sparsely with the current SyncToken and refuses a stale one with 5010', async () => {
    const made = (await api.post('customer', { DisplayName: 'Sync Test', CompanyName: 'Keep Me' })).json
      .Customer
    const sparse = await api.post('customer', { Id: made.Id, SyncToken: '0', sparse: true, Notes: 'hello' })
    expect(sparse.json.Customer).toMatchObject({ SyncToken: '1', Notes: 'hello', CompanyName: 'Keep Me' })
    const stale = await api.post('customer', { Id: made.Id, SyncToken: '0', sparse: true, Notes: 'again' })
    expect(stale.status).toBe(400)
    expect(faultOf(stale)).toMatchObject({ code: '5010', Message: 'Stale Object Error' })
    expect(faultOf(stale).Detail).toContain('were working on this at the same time')
  })

  it('clears omitted writable fields on a full update', async () => {
    const made = (await api.post('customer', { DisplayName: 'Full Update', CompanyName: 'Dropped' })).json
      .Customer
    const full = await api.post('customer', {
      Id: made.Id,
      SyncToken: made.SyncToken,
      DisplayName: 'Full Update',
    })
    expect(full.json.Customer.CompanyName).toBeUndefined()
  })

  it('refuses a currency change once set', async () => {
    const made = (await api.post('customer', { DisplayName: 'Currency Once' })).json.Customer
    const res = await api.post('customer', { ...made, CurrencyRef: { value: 'EUR' } })
    expect(faultOf(res).code).toBe('6000')
  })

  it('refuses a property Finance.xsd does not define with 2010, naming the Java class', async () => {
    const res = await api.post('customer', { DisplayName: 'X', Nickname: 'nope' })
    expect(res.status).toBe(400)
    expect(faultOf(res)).toMatchObject({
      code: '2010',
      Message: 'Request has invalid or unsupported property',
    })
    expect(faultOf(res).Detail).toContain(
      'Unrecognized field "Nickname" (class com.intuit.schema.finance.v3.Customer)',
    )
    const nested = await api.post('customer', { DisplayName: 'Y', BillAddr: { Street: '1 Main' } })
    expect(faultOf(nested).Detail).toContain('"Street" (class com.intuit.schema.finance.v3.PhysicalAddress)')
  })

  it('answers 2010 for malformed JSON and 610 for an unknown id', async () => {
    expect(faultOf(await api.post('customer', '{"DisplayName":')).code).toBe('2010')
    const missing = await api.get('customer/9999')
    expect(missing.status).toBe(400)
    expect(faultOf(missing).code).toBe('610')
  })

  it('deletes nothing: customers are made inactive, delete is an unsupported operation', async () => {
    const res = await api.post('customer?operation=delete', { Id: '1', SyncToken: '0' })
    expect(faultOf(res).code).toBe('500')
  })
})

describe('requestid idempotency (2.5)', () => {
  it('replays the original answer for a repeated requestid without running the request again', async () => {
    const first = await api.post('customer?requestid=req-1&minorversion=75', { DisplayName: 'Once Only' })
    const again = await api.post('customer?requestid=req-1&minorversion=75', {
      DisplayName: 'Something else',
    })
    expect(again.status).toBe(200)
    expect(again.json).toEqual(first.json)
    const all = await api.query("select * from Customer where DisplayName LIKE 'Once%'")
    expect(all.json.QueryResponse.Customer).toHaveLength(1)
    const fault = await api.post('customer?requestid=req-2', { DisplayName: 'Jordan Reyes' })
    const faultAgain = await api.post('customer?requestid=req-2', { DisplayName: 'Unique Name' })
    expect(faultAgain.json).toEqual(fault.json)
  })
})
