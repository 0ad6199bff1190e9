/* eslint-disable @typescript-eslint/no-unsafe-call -- provider JSON is read loosely; assertions pin its shape */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { XeroEmulator } from './index.ts'
import { startXeroEmulator } from './index.ts'
import { AU, UK, api, connect, line } from './testing.ts'

let emu: XeroEmulator
let token: string
beforeAll(async () => {
  emu = await startXeroEmulator({ limits: { perMinute: 10_000 } })
  token = (await connect(emu)).access_token
})
afterAll(() => emu.close())

const messages = (res: { body: { Elements: { ValidationErrors: { Message: string }[] }[] } }) =>
  res.body.Elements.flatMap((e) => e.ValidationErrors.map((v) => v.Message))

/** An AUTHORISED sales invoice of one line at `net` on account 200 (UK 20% VAT, AU 10% GST). */
async function authorisedInvoice(net: number, tenant = UK) {
  const contact = (await api(emu, token, 'GET', '/Contacts', { tenant })).body.Contacts[0].ContactID
  const res = await api(emu, token, 'PUT', '/Invoices', {
    tenant,
    body: {
      Invoices: [
        {
          Type: 'ACCREC',
          Contact: { ContactID: contact },
          Status: 'AUTHORISED',
          LineItems: [line({ UnitAmount: net })],
        },
      ],
    },
  })
  return res.body.Invoices[0] as { InvoiceID: string; Total: number; Contact: { ContactID: string } }
}

describe('contacts', () => {
  it('refuses a second active contact with the same name, with the spec message', async () => {
    const res = await api(emu, token, 'PUT', '/Contacts', {
      body: { Contacts: [{ Name: 'ACME WIDGETS LTD' }] },
    })
    expect(res.status).toBe(400)
    expect(messages(res)).toEqual([
      'The contact name ACME WIDGETS LTD is already assigned to another contact. The contact name must be unique across all active contacts.',
    ])
  })

  it('allows the name of an archived contact, and hides archived contacts unless asked', async () => {
    const res = await api(emu, token, 'PUT', '/Contacts', {
      body: { Contacts: [{ Name: 'Old Supplier Ltd' }] },
    })
    expect(res.status).toBe(200)
    const active = await api(emu, token, 'GET', '/Contacts?where=Name%3D%3D%22Old%20Supplier%20Ltd%22')
    expect(active.body.Contacts).toHaveLength(1)
    const all = await api(
      emu,
      token,
      'GET',
      '/Contacts?includeArchived=true&where=Name%3D%3D%22Old%20Supplier%20Ltd%22',
    )
    expect(all.body.Contacts).toHaveLength(2)
  })

  it('updates by ContactNumber on POST and finds a contact by number in the path', async () => {
    const res = await api(emu, token, 'POST', '/Contacts', {
      body: { Contacts: [{ ContactNumber: 'CUST-001', EmailAddress: 'new@acme.example' }] },
    })
    expect(res.body.Contacts[0]).toMatchObject({ Name: 'Acme Widgets Ltd', EmailAddress: 'new@acme.example' })
    const byNumber = await api(emu, token, 'GET', '/Contacts/CUST-001')
    expect(byNumber.body.Contacts[0].ContactID).toBe(res.body.Contacts[0].ContactID)
  })

  it('refuses a contact without a name and an EmailAddress over 255 characters', async () => {
    expect(
      (await api(emu, token, 'PUT', '/Contacts', { body: { Contacts: [{ EmailAddress: 'a@b.c' }] } })).status,
    ).toBe(400)
    const long = await api(emu, token, 'PUT', '/Contacts', {
      body: { Contacts: [{ Name: 'Long', EmailAddress: 'x'.repeat(256) }] },
    })
    expect(messages(long)).toEqual(['Contacts[0].EmailAddress must NOT have more than 255 characters'])
  })
})

describe('payments (PROVIDERS 1.8)', () => {
  it('marks the invoice PAID with AmountDue 0 and FullyPaidOnDate when paid in full', async () => {
    const inv = await authorisedInvoice(100)
    const res = await api(emu, token, 'PUT', '/Payments', {
      body: {
        Payments: [
          {
            Invoice: { InvoiceID: inv.InvoiceID },
            Account: { Code: '090' },
            Date: '2026-06-01',
            Amount: 120,
          },
        ],
      },
    })
    expect(res.status).toBe(200)
    expect(res.body.Payments[0]).toMatchObject({
      Amount: 120,
      Status: 'AUTHORISED',
      PaymentType: 'ACCRECPAYMENT',
    })
    const after = (await api(emu, token, 'GET', `/Invoices/${inv.InvoiceID}`)).body.Invoices[0]
    expect(after).toMatchObject({
      Status: 'PAID',
      AmountDue: 0,
      AmountPaid: 120,
      FullyPaidOnDate: '/Date(1780272000000+0000)/',
    })
  })

  it('refuses more than the amount due, an account without payments, and a draft invoice', async () => {
    const inv = await authorisedInvoice(100)
    const pay = (over: Record<string, unknown>) =>
      api(emu, token, 'POST', '/Payments', {
        body: { Invoice: { InvoiceID: inv.InvoiceID }, Account: { Code: '090' }, Amount: 10, ...over },
      })
    expect(messages(await pay({ Amount: 120.01 }))).toEqual([
      'Payment amount exceeds the amount outstanding on this document',
    ])
    expect(messages(await pay({ Account: { Code: '200' } }))).toEqual([
      'Account type is invalid for making a payment to/from',
    ])
    expect((await pay({ Account: { Code: '855' } })).status).toBe(200)
    const contact = inv.Contact.ContactID
    const draft = await api(emu, token, 'PUT', '/Invoices', {
      body: { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contact }, LineItems: [line()] }] },
    })
    const onDraft = await api(emu, token, 'POST', '/Payments', {
      body: { Invoice: { InvoiceID: draft.body.Invoices[0].InvoiceID }, Account: { Code: '090' }, Amount: 1 },
    })
    expect(messages(onDraft)).toEqual(['Payments can only be made against Authorised documents'])
  })

  it('reverses a payment deleted with POST /Payments/{id}', async () => {
    const inv = await authorisedInvoice(50)
    const payment = emu.control.payInvoice(UK, inv.InvoiceID)
    const res = await api(emu, token, 'POST', `/Payments/${payment.PaymentID}`, {
      body: { Status: 'DELETED' },
    })
    expect(res.body.Payments[0].Status).toBe('DELETED')
    const after = (await api(emu, token, 'GET', `/Invoices/${inv.InvoiceID}`)).body.Invoices[0]
    expect(after).toMatchObject({ Status: 'AUTHORISED', AmountDue: 60, AmountPaid: 0 })
    expect(after.FullyPaidOnDate).toBeUndefined()
  })

  it('refuses a payment to an archived bank account', async () => {
    const inv = await authorisedInvoice(100, AU)
    emu.control.addAccount(AU, { Code: '091', Name: 'Old Cheque Account', Type: 'BANK' })
    emu.control.archiveAccount(AU, '091')
    const res = await api(emu, token, 'POST', '/Payments', {
      tenant: AU,
      body: { Invoice: { InvoiceID: inv.InvoiceID }, Account: { Code: '091' }, Amount: 10 },
    })
    expect(messages(res)).toEqual([
      "The Account code '091' has been archived, or deleted. Each line item must reference a valid account.",
    ])
    expect(emu.control.organisation(AU).invoices.get(inv.InvoiceID)?.AmountPaid).toBe(0)
  })

  it('replays the first answer to PUT /Payments for the same Idempotency-Key, paying once', async () => {
    const inv = await authorisedInvoice(100)
    const send = () =>
      api(emu, token, 'PUT', '/Payments?summarizeErrors=false', {
        headers: { 'Idempotency-Key': `pay-${inv.InvoiceID}` },
        body: {
          Payments: [
            {
              Invoice: { InvoiceID: inv.InvoiceID },
              Account: { Code: '090' },
              Date: '2026-06-01',
              Amount: 70,
            },
          ],
        },
      })
    const first = await send()
    const again = await send()
    expect(again.body.Payments[0].PaymentID).toBe(first.body.Payments[0].PaymentID)
    const stored = emu.control.organisation(UK).invoices.get(inv.InvoiceID)!
    expect(stored).toMatchObject({
      AmountPaid: 70,
      AmountDue: 50,
      PaymentIDs: [first.body.Payments[0].PaymentID],
    })
  })

  it('refuses to delete a payment twice, and reverses it once', async () => {
    const inv = await authorisedInvoice(50)
    const payment = emu.control.payInvoice(UK, inv.InvoiceID, { Amount: 20 })
    const remove = () =>
      api(emu, token, 'POST', `/Payments/${payment.PaymentID}`, { body: { Status: 'DELETED' } })
    expect((await remove()).status).toBe(200)
    const twice = await remove()
    expect(twice.status).toBe(400)
    expect(messages(twice)).toEqual(['This payment has already been deleted'])
    expect(emu.control.organisation(UK).invoices.get(inv.InvoiceID)).toMatchObject({
      AmountPaid: 0,
      AmountDue: 60,
    })
  })

  it('refuses to delete a reconciled payment, which keeps paying the invoice', async () => {
    const inv = await authorisedInvoice(50)
    const payment = emu.control.payInvoice(UK, inv.InvoiceID)
    emu.control.reconcilePayment(UK, payment.PaymentID)
    const res = await api(emu, token, 'POST', `/Payments/${payment.PaymentID}`, {
      body: { Status: 'DELETED' },
    })
    expect(res.status).toBe(400)
    expect(messages(res)).toEqual(['This payment has been reconciled and cannot be deleted'])
    expect(emu.control.organisation(UK).payments.get(payment.PaymentID)?.Status).toBe('AUTHORISED')
    expect(emu.control.organisation(UK).invoices.get(inv.InvoiceID)).toMatchObject({
      Status: 'PAID',
      AmountDue: 0,
    })
  })

  it('filters payments by Invoice.InvoiceID==guid("…") joined by OR, as Xero documents', async () => {
    const [a, b, other] = [
      await authorisedInvoice(10),
      await authorisedInvoice(20),
      await authorisedInvoice(30),
    ]
    const pa = emu.control.payInvoice(UK, a.InvoiceID, { Amount: 5 })
    const pb = emu.control.payInvoice(UK, b.InvoiceID, { Amount: 6 })
    emu.control.payInvoice(UK, other.InvoiceID, { Amount: 7 })
    const where = `Invoice.InvoiceID==guid("${a.InvoiceID}") OR Invoice.InvoiceID==GUID("${b.InvoiceID.toUpperCase()}")`
    const res = await api(emu, token, 'GET', `/Payments?where=${encodeURIComponent(where)}`)
    expect(res.status).toBe(200)
    const ids = res.body.Payments.map((p: { PaymentID: string }) => p.PaymentID)
    expect(ids.sort()).toEqual([pa.PaymentID, pb.PaymentID].sort())
  })

  it('lists payments changed since a time', async () => {
    emu.control.advanceClock(60_000)
    const since = new Date(emu.control.clock.now()).toUTCString()
    const inv = await authorisedInvoice(10)
    const payment = emu.control.payInvoice(UK, inv.InvoiceID)
    const res = await api(emu, token, 'GET', '/Payments', { headers: { 'If-Modified-Since': since } })
    expect(res.body.Payments.map((p: { PaymentID: string }) => p.PaymentID)).toEqual([payment.PaymentID])
  })
})

describe('credit notes and allocations', () => {
  it('allocates credit to an invoice of the same contact and settles both', async () => {
    const inv = await authorisedInvoice(100, AU)
    const cn = await api(emu, token, 'PUT', '/CreditNotes', {
      tenant: AU,
      body: {
        CreditNotes: [
          {
            Type: 'ACCRECCREDIT',
            Contact: inv.Contact,
            Status: 'AUTHORISED',
            LineItems: [line({ UnitAmount: 100 })],
          },
        ],
      },
    })
    const note = cn.body.CreditNotes[0]
    expect(note).toMatchObject({ Total: 110, TotalTax: 10, RemainingCredit: 110 })
    const too = await api(emu, token, 'PUT', `/CreditNotes/${note.CreditNoteID}/Allocations`, {
      tenant: AU,
      body: { Allocations: [{ Invoice: { InvoiceID: inv.InvoiceID }, Amount: 111, Date: '2026-06-01' }] },
    })
    expect(too.status).toBe(400)
    const ok = await api(emu, token, 'PUT', `/CreditNotes/${note.CreditNoteID}/Allocations`, {
      tenant: AU,
      body: { Allocations: [{ Invoice: { InvoiceID: inv.InvoiceID }, Amount: 110, Date: '2026-06-01' }] },
    })
    expect(ok.status).toBe(200)
    const after = (await api(emu, token, 'GET', `/Invoices/${inv.InvoiceID}`, { tenant: AU })).body
      .Invoices[0]
    expect(after).toMatchObject({ Status: 'PAID', AmountCredited: 110, AmountDue: 0 })
    expect(
      (await api(emu, token, 'GET', `/CreditNotes/${note.CreditNoteID}`, { tenant: AU })).body.CreditNotes[0],
    ).toMatchObject({
      Status: 'PAID',
      RemainingCredit: 0,
    })
  })

  it('requires Date and Amount on an allocation, as the spec does', async () => {
    const res = await api(emu, token, 'PUT', `/CreditNotes/${crypto.randomUUID()}/Allocations`, {
      tenant: AU,
      body: { Allocations: [{ Invoice: { InvoiceID: crypto.randomUUID() } }] },
    })
    expect(res.status).toBe(400)
    expect(messages(res)).toEqual(
      expect.arrayContaining(["Allocations[0] must have required property 'Amount'"]),
    )
  })
})

describe('settings', () => {
  it('serves each region its chart, tax rates, currencies and organisation', async () => {
    const accounts = (await api(emu, token, 'GET', '/Accounts?where=Status%3D%3D%22ARCHIVED%22')).body
      .Accounts
    expect(accounts.map((a: { Code: string }) => a.Code)).toEqual(['429'])
    const rates = (await api(emu, token, 'GET', '/TaxRates', { tenant: AU })).body.TaxRates
    expect(rates.find((r: { TaxType: string }) => r.TaxType === 'OUTPUT')).toMatchObject({
      Name: 'GST on Income',
      EffectiveRate: 10,
    })
    const currencies = (await api(emu, token, 'GET', '/Currencies')).body.Currencies
    expect(currencies.map((c: { Code: string }) => c.Code)).toEqual(['GBP', 'EUR', 'USD'])
    const org = (await api(emu, token, 'GET', '/Organisation', { tenant: AU })).body.Organisations[0]
    expect(org).toMatchObject({ Version: 'AU', BaseCurrency: 'AUD', OrganisationID: AU })
  })
})
