/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- provider JSON is read loosely; assertions pin its shape */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { XeroEmulator } from './index.ts'
import { startXeroEmulator } from './index.ts'
import { UK, US, api, connect, line } from './testing.ts'

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
  DueDate: '2026-05-31',
  LineAmountTypes: 'Exclusive',
  InvoiceNumber: `T-${++n}`,
  Status: 'AUTHORISED',
  LineItems: [line()],
  ...over,
})
const put = (invoices: unknown[], query = '', tenant = UK) =>
  api(emu, token, 'PUT', `/Invoices${query}`, { body: { Invoices: invoices }, tenant })
const messages = (res: { body: { Elements: { ValidationErrors: { Message: string }[] }[] } }) =>
  res.body.Elements.flatMap((e) => e.ValidationErrors.map((v) => v.Message))

describe('creating invoices', () => {
  it('computes totals with tax rounded per line and answers MS-JSON dates', async () => {
    const lines = [1, 2, 3].map(() => line({ UnitAmount: 0.125, Quantity: 1 }))
    const res = await put([invoice({ LineItems: lines })])
    expect(res.status).toBe(200)
    const inv = res.body.Invoices[0]
    // each line: 0.13 (half away from zero), tax 20% = 0.026 -> 0.03; on the total it would be 0.08
    expect(inv).toMatchObject({
      SubTotal: 0.39,
      TotalTax: 0.09,
      Total: 0.48,
      AmountDue: 0.48,
      StatusAttributeString: 'OK',
    })
    expect(inv.Date).toBe('/Date(1777593600000+0000)/')
    expect(inv.DateString).toBe('2026-05-01T00:00:00')
    expect(inv.UpdatedDateUTC).toMatch(/^\/Date\(\d+\+0000\)\/$/)
    expect(res.body).toMatchObject({
      Status: 'OK',
      Id: expect.any(String),
      DateTimeUTC: expect.stringMatching(/^\/Date\(/),
    })
  })

  it('handles Inclusive amounts, discounts and 4-decimal unit prices with unitdp=4', async () => {
    const res = await put(
      [
        invoice({
          LineAmountTypes: 'Inclusive',
          LineItems: [line({ UnitAmount: 10.1234, Quantity: 3, DiscountRate: 10 })],
        }),
      ],
      '?unitdp=4',
    )
    // 3 x 10.1234 = 30.3702, less 10% = 27.33318 -> 27.33; tax inside = 27.33 / 6 = 4.555 -> 4.56
    expect(res.body.Invoices[0]).toMatchObject({
      Total: 27.33,
      TotalTax: 4.56,
      SubTotal: 22.77,
      TotalDiscount: 3.04,
    })
    expect(res.body.Invoices[0].LineItems[0].UnitAmount).toBe(10.1234)
  })

  it('refuses a duplicate sales invoice number on PUT with "Invoice # must be unique."', async () => {
    const first = invoice()
    expect((await put([first])).status).toBe(200)
    const dup = await put([{ ...first, InvoiceNumber: first.InvoiceNumber.toLowerCase() }])
    expect(dup.status).toBe(400)
    expect(dup.body).toMatchObject({
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: 'A validation exception occurred',
    })
    expect(messages(dup)).toEqual(['Invoice # must be unique.'])
  })

  it('updates the invoice with that number on POST instead', async () => {
    const first = invoice({ Status: 'DRAFT' })
    const created = (await put([first])).body.Invoices[0]
    const res = await api(emu, token, 'POST', '/Invoices', {
      body: {
        Invoices: [
          { InvoiceNumber: first.InvoiceNumber, Reference: 'updated', LineItems: [line({ UnitAmount: 50 })] },
        ],
      },
    })
    expect(res.status).toBe(200)
    expect(res.body.Invoices[0]).toMatchObject({
      InvoiceID: created.InvoiceID,
      Reference: 'updated',
      Total: 60,
    })
  })

  it('refuses unknown, archived and system account codes', async () => {
    const res = await put([
      invoice({
        LineItems: [line({ AccountCode: '999' }), line({ AccountCode: '429' }), line({ AccountCode: '610' })],
      }),
    ])
    expect(messages(res)).toEqual([
      "Account code '999' is not a valid code for this document.",
      "The Account code '429' has been archived, or deleted. Each line item must reference a valid account.",
      "Account code '610' is not a valid code for this document.",
    ])
  })

  it('refuses a tax type that does not exist or does not apply to the account', async () => {
    const res = await put([invoice({ LineItems: [line({ TaxType: 'NOPE' }), line({ TaxType: 'INPUT2' })] })])
    expect(messages(res)).toEqual([
      "The TaxType code 'NOPE' does not exist or cannot be used for this type of transaction.",
      "The TaxType code 'INPUT2' cannot be used with account code '200'.",
    ])
  })

  it('refuses a currency the organisation has not enabled', async () => {
    const us = (await api(emu, token, 'GET', '/Contacts', { tenant: US })).body.Contacts[0].ContactID
    const res = await put(
      [
        invoice({
          Contact: { ContactID: us },
          CurrencyCode: 'EUR',
          LineItems: [line({ AccountCode: '400' })],
        }),
      ],
      '',
      US,
    )
    expect(messages(res)).toEqual(['Organisation is not subscribed to currency EUR'])
    expect((await put([invoice({ CurrencyCode: 'EUR' })])).status).toBe(200)
  })

  it('refuses discounts on bills', async () => {
    const res = await put([
      invoice({ Type: 'ACCPAY', LineItems: [line({ AccountCode: '400', DiscountRate: 5 })] }),
    ])
    expect(messages(res)).toEqual(['Discounts are only supported on ACCREC invoices'])
  })

  it('creates a contact from a name it does not know, and reuses an active one it does', async () => {
    const res = await put([
      invoice({ Contact: { Name: 'Brand New Customer' } }),
      invoice({ Contact: { Name: 'acme widgets ltd' } }),
    ])
    expect(res.body.Invoices[0].Contact.Name).toBe('Brand New Customer')
    expect(res.body.Invoices[1].Contact.ContactID).toBe(acme)
  })
})

describe('batches and summarizeErrors (PROVIDERS 1.6)', () => {
  it('answers 400 for the batch but still saves the valid siblings', async () => {
    const good = invoice()
    const res = await put([good, invoice({ LineItems: [line({ AccountCode: '999' })] })])
    expect(res.status).toBe(400)
    expect(res.body.Elements).toHaveLength(1)
    expect(res.body.Elements[0]).toMatchObject({ HasErrors: true, InvoiceNumber: expect.any(String) })
    const saved = await api(emu, token, 'GET', `/Invoices?InvoiceNumbers=${good.InvoiceNumber}`)
    expect(saved.body.Invoices).toHaveLength(1)
  })

  it('answers 200 with a status per element when summarizeErrors=false', async () => {
    const res = await put(
      [invoice(), invoice({ LineItems: [line({ AccountCode: '999' })] })],
      '?summarizeErrors=false',
    )
    expect(res.status).toBe(200)
    expect(res.body.Invoices.map((i: { StatusAttributeString: string }) => i.StatusAttributeString)).toEqual([
      'OK',
      'ERROR',
    ])
    expect(res.body.Invoices[1].ValidationErrors).toEqual([
      { Message: "Account code '999' is not a valid code for this document." },
    ])
  })
})

describe('status rules', () => {
  it('refuses edits to a paid invoice and to a voided one', async () => {
    const inv = (await put([invoice()])).body.Invoices[0]
    emu.control.payInvoice(UK, inv.InvoiceID)
    const edit = await api(emu, token, 'POST', `/Invoices/${inv.InvoiceID}`, {
      body: { Invoices: [{ Reference: 'x' }] },
    })
    expect(messages(edit)).toEqual([
      'This document cannot be edited as it has a payment or credit note allocated to it.',
    ])
    const other = (await put([invoice()])).body.Invoices[0]
    const voided = await api(emu, token, 'POST', `/Invoices/${other.InvoiceID}`, {
      body: { Invoices: [{ Status: 'VOIDED' }] },
    })
    expect(voided.body.Invoices[0]).toMatchObject({ Status: 'VOIDED', AmountDue: 0 })
    const again = await api(emu, token, 'POST', `/Invoices/${other.InvoiceID}`, {
      body: { Invoices: [{ Reference: 'y' }] },
    })
    expect(messages(again)).toEqual(['Invoice not of valid status for modification'])
  })

  it('refuses AUTHORISED back to DRAFT', async () => {
    const inv = (await put([invoice()])).body.Invoices[0]
    const res = await api(emu, token, 'POST', `/Invoices/${inv.InvoiceID}`, {
      body: { Invoices: [{ Status: 'DRAFT' }] },
    })
    expect(res.status).toBe(400)
  })

  it('keeps lines sent with their LineItemID and deletes those left out', async () => {
    const inv = (await put([invoice({ Status: 'DRAFT', LineItems: [line(), line({ UnitAmount: 5 })] })])).body
      .Invoices[0]
    const keep = inv.LineItems[0].LineItemID
    const res = await api(emu, token, 'POST', `/Invoices/${inv.InvoiceID}`, {
      body: {
        Invoices: [
          { LineItems: [{ LineItemID: keep, ...line({ UnitAmount: 7 }) }, line({ UnitAmount: 1 })] },
        ],
      },
    })
    const ids = res.body.Invoices[0].LineItems.map((l: { LineItemID: string }) => l.LineItemID)
    expect(ids[0]).toBe(keep)
    expect(ids).not.toContain(inv.LineItems[1].LineItemID)
    expect(res.body.Invoices[0].SubTotal).toBe(8)
  })
})

describe('spec validation (xero_accounting.yaml)', () => {
  it('refuses a body the spec forbids with a ValidationException naming the field', async () => {
    const res = await put([invoice({ Status: 'SENT', LineItems: [line({ Quantity: 'two' })] })])
    expect(res.status).toBe(400)
    expect(res.body.Type).toBe('ValidationException')
    expect(messages(res)).toEqual(
      expect.arrayContaining([
        'Invoices[0].Status must be equal to one of the allowed values',
        'Invoices[0].LineItems[0].Quantity must be number',
      ]),
    )
  })

  it('refuses an InvoiceNumber longer than 255 characters and a malformed ContactID', async () => {
    const res = await put([invoice({ InvoiceNumber: 'x'.repeat(256), Contact: { ContactID: 'not-a-uuid' } })])
    expect(messages(res)).toEqual(
      expect.arrayContaining([
        'Invoices[0].InvoiceNumber must NOT have more than 255 characters',
        'Invoices[0].Contact.ContactID must match format "uuid"',
      ]),
    )
  })

  it('refuses a query parameter of the wrong type, and an unknown path', async () => {
    const bad = await api(emu, token, 'GET', '/Invoices?page=first')
    expect(bad.status).toBe(400)
    expect(bad.body.Elements[0].ValidationErrors[0].Message).toBe(
      "The value 'first' is not valid for parameter 'page'",
    )
    expect((await put([invoice()], '?summarizeErrors=maybe')).status).toBe(400)
    expect((await api(emu, token, 'GET', '/NotAThing')).status).toBe(404)
  })

  it('refuses a body that is not JSON', async () => {
    const res = await fetch(`${emu.url}/api.xro/2.0/Invoices`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': UK, 'content-type': 'application/json' },
      body: '{"Invoices":[',
    })
    expect(res.status).toBe(400)
  })
})

describe('reading invoices (PROVIDERS 1.9)', () => {
  it('pages with pagination and line items; unpaged lists leave line items out', async () => {
    const tenant = US
    const contact = (await api(emu, token, 'GET', '/Contacts', { tenant })).body.Contacts[0].ContactID
    const batch = Array.from({ length: 5 }, () =>
      invoice({ Contact: { ContactID: contact }, LineItems: [line({ AccountCode: '400' })] }),
    )
    expect((await put(batch, '', tenant)).status).toBe(200)
    const page2 = await api(emu, token, 'GET', '/Invoices?page=2&pageSize=2', { tenant })
    expect(page2.body.pagination).toEqual({ page: 2, pageSize: 2, pageCount: 3, itemCount: 5 })
    expect(page2.body.Invoices).toHaveLength(2)
    expect(page2.body.Invoices[0].LineItems).toHaveLength(1)
    const unpaged = await api(emu, token, 'GET', '/Invoices', { tenant })
    expect(unpaged.body.pagination).toBeUndefined()
    expect(unpaged.body.Invoices[0].LineItems).toEqual([])
  })

  it('honours If-Modified-Since', async () => {
    emu.control.advanceClock(60_000)
    const since = new Date(emu.control.clock.now()).toISOString()
    const fresh = (await put([invoice()])).body.Invoices[0]
    const res = await api(emu, token, 'GET', '/Invoices', { headers: { 'If-Modified-Since': since } })
    expect(res.body.Invoices.map((i: { InvoiceID: string }) => i.InvoiceID)).toEqual([fresh.InvoiceID])
  })

  it('filters with where and by InvoiceNumber in the path', async () => {
    const inv = (await put([invoice({ Reference: 'where-me' })])).body.Invoices[0]
    const res = await api(
      emu,
      token,
      'GET',
      `/Invoices?where=${encodeURIComponent('Reference=="where-me" AND Status=="AUTHORISED"')}`,
    )
    expect(res.body.Invoices.map((i: { InvoiceID: string }) => i.InvoiceID)).toEqual([inv.InvoiceID])
    const byNumber = await api(emu, token, 'GET', `/Invoices/${inv.InvoiceNumber}`)
    expect(byNumber.body.Invoices[0].InvoiceID).toBe(inv.InvoiceID)
    expect((await api(emu, token, 'GET', '/Invoices?where=Status%20LIKE%20x')).status).toBe(400)
  })
})
