/* eslint-disable @typescript-eslint/no-unsafe-call -- provider JSON is read loosely; assertions pin its shape */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { XeroEmulator } from './index.ts'
import { startXeroEmulator } from './index.ts'
import { UK, api, connect, line } from './testing.ts'

/** What the sync engine relies on beyond the basics: exact line maths, searches, a dropped answer. */
let emu: XeroEmulator
let token: string
let acme: string
beforeAll(async () => {
  emu = await startXeroEmulator({ limits: { perMinute: 10_000, perDay: 100_000 } })
  token = (await connect(emu)).access_token
  const contacts = await api(emu, token, 'GET', '/Contacts')
  acme = contacts.body.Contacts.find((c: { Name: string }) => c.Name === 'Acme Widgets Ltd').ContactID
})
afterAll(() => emu.close())

let n = 0
const invoice = (over: Record<string, unknown> = {}) => ({
  Type: 'ACCREC',
  Contact: { ContactID: acme },
  Date: '2026-05-01',
  LineAmountTypes: 'Exclusive',
  InvoiceNumber: `SYNC-${++n}`,
  Status: 'AUTHORISED',
  ...over,
})
const put = (invoices: unknown[], query = '?unitdp=4') =>
  api(emu, token, 'PUT', `/Invoices${query}`, { body: { Invoices: invoices } })

describe('line maths in decimals, as Xero computes (Rounding in Xero guide)', () => {
  it('rounds 3 × 0.075 = 0.225 up to 0.23, where doubles give 0.2249999…', async () => {
    const res = await put([
      invoice({ LineItems: [line({ Quantity: 3, UnitAmount: 0.075, TaxType: 'NONE' })] }),
    ])
    expect(res.body.Invoices[0].LineItems[0].LineAmount).toBe(0.23)
    expect(res.body.Invoices[0].Total).toBe(0.23)
  })

  it('rounds tax at exact half cents half away from zero, exclusive and inclusive', async () => {
    // 5% of 0.70 = 0.035 → 0.04 (doubles: 0.034999…); inclusive 20/120 of 0.69 = 0.115 → 0.12
    const exclusive = await put([
      invoice({ LineItems: [line({ Quantity: 1, UnitAmount: 0.7, TaxType: 'RROUTPUT' })] }),
    ])
    expect(exclusive.body.Invoices[0]).toMatchObject({ SubTotal: 0.7, TotalTax: 0.04, Total: 0.74 })
    const inclusive = await put([
      invoice({
        LineAmountTypes: 'Inclusive',
        LineItems: [line({ Quantity: 1, UnitAmount: 0.69, TaxType: 'OUTPUT2' })],
      }),
    ])
    expect(inclusive.body.Invoices[0]).toMatchObject({ SubTotal: 0.57, TotalTax: 0.12, Total: 0.69 })
  })

  it('applies a DiscountRate before rounding the line amount', async () => {
    // 1 × 1.40 × 87.5% = 1.225 → 1.23 (doubles: 1.2249999…)
    const res = await put([
      invoice({ LineItems: [line({ Quantity: 1, UnitAmount: 1.4, DiscountRate: 12.5, TaxType: 'NONE' })] }),
    ])
    expect(res.body.Invoices[0].LineItems[0].LineAmount).toBe(1.23)
    expect(res.body.Invoices[0].TotalDiscount).toBe(0.17)
  })
})

describe('contact search (spec getContacts searchTerm)', () => {
  it('searches Name, FirstName, LastName, ContactNumber and EmailAddress, ignoring case', async () => {
    await api(emu, token, 'PUT', '/Contacts', {
      body: { Contacts: [{ Name: 'Zephyr Trading', FirstName: 'Quilla', LastName: 'Marchetti' }] },
    })
    for (const term of ['zephyr', 'QUILLA', 'marchetti', 'cust-001', 'HELLO@BRIGHTSIDE']) {
      const res = await api(emu, token, 'GET', `/Contacts?searchTerm=${encodeURIComponent(term)}`)
      expect(res.body.Contacts.length, term).toBe(1)
    }
  })

  it('pages a search: a page past the end is empty and keeps the counts', async () => {
    const first = await api(emu, token, 'GET', '/Contacts?searchTerm=l&page=1&pageSize=1')
    expect(first.body.Contacts).toHaveLength(1)
    const past = await api(
      emu,
      token,
      'GET',
      `/Contacts?searchTerm=l&page=${first.body.pagination.pageCount + 1}&pageSize=1`,
    )
    expect(past.body.Contacts).toEqual([])
    expect(past.body.pagination.itemCount).toBe(first.body.pagination.itemCount)
  })
})

describe("a write applied, then the connection dropped (fault 'drop_after')", () => {
  it('keeps the invoice although the client got no answer', async () => {
    emu.control.injectFault({ kind: 'drop_after' })
    const number = `DROP-${++n}`
    await expect(put([invoice({ InvoiceNumber: number, LineItems: [line()] })])).rejects.toThrow()
    const found = await api(emu, token, 'GET', `/Invoices?InvoiceNumbers=${number}&page=1`, { tenant: UK })
    expect(found.body.Invoices).toHaveLength(1)
    expect(found.body.Invoices[0].LineItems).toHaveLength(1)
  })

  it('replays the answer it produced to a retry with the same Idempotency-Key, creating nothing more', async () => {
    emu.control.injectFault({ kind: 'drop_after' })
    const number = `DROP-${++n}`
    const body = { Invoices: [invoice({ InvoiceNumber: number, LineItems: [line()] })] }
    const headers = { 'idempotency-key': `drop-${number}` }
    const send = () => api(emu, token, 'PUT', '/Invoices?unitdp=4', { body, headers })
    await expect(send()).rejects.toThrow()
    const replay = await send()
    expect(replay.status).toBe(200)
    const found = await api(emu, token, 'GET', `/Invoices?InvoiceNumbers=${number}&page=1`, { tenant: UK })
    expect(found.body.Invoices).toHaveLength(1)
    expect(replay.body.Invoices[0].InvoiceID).toBe(found.body.Invoices[0].InvoiceID)
  })
})
