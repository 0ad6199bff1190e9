/* eslint-disable @typescript-eslint/no-unsafe-call -- provider JSON is read loosely; assertions pin its shape */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { XeroEmulator } from './index.ts'
import { startXeroEmulator } from './index.ts'
import { UK, api, connect, line } from './testing.ts'

/** Credit notes and their allocations held to Xero's rules (PROVIDERS 1.6–1.8). */
let emu: XeroEmulator
let token: string
let acme: string
let brightside: string
beforeAll(async () => {
  emu = await startXeroEmulator({ limits: { perMinute: 10_000, perDay: 100_000 } })
  token = (await connect(emu)).access_token
  const contacts = (await api(emu, token, 'GET', '/Contacts')).body.Contacts as {
    Name: string
    ContactID: string
  }[]
  acme = contacts.find((c) => c.Name === 'Acme Widgets Ltd')!.ContactID
  brightside = contacts.find((c) => c.Name === 'Brightside Studio')!.ContactID
})
afterAll(() => emu.close())

let n = 0
const messages = (res: { body: { Elements: { ValidationErrors: { Message: string }[] }[] } }) =>
  res.body.Elements.flatMap((e) => e.ValidationErrors.map((v) => v.Message))

/** An AUTHORISED sales credit note of one line at `net` + 20% VAT (100 → 120). */
async function creditNote(over: Record<string, unknown> = {}) {
  const res = await api(emu, token, 'PUT', '/CreditNotes', {
    body: {
      CreditNotes: [
        {
          Type: 'ACCRECCREDIT',
          Contact: { ContactID: acme },
          CreditNoteNumber: `EC-${++n}`,
          Date: '2026-06-01',
          Status: 'AUTHORISED',
          LineItems: [line()],
          ...over,
        },
      ],
    },
  })
  expect(res.status).toBe(200)
  return res.body.CreditNotes[0] as { CreditNoteID: string; CreditNoteNumber: string }
}

/** An AUTHORISED sales invoice of one line at `net` + 20% VAT. */
async function invoice(net = 100, over: Record<string, unknown> = {}) {
  const res = await api(emu, token, 'PUT', '/Invoices', {
    body: {
      Invoices: [
        {
          Type: 'ACCREC',
          Contact: { ContactID: acme },
          Status: 'AUTHORISED',
          LineItems: [line({ UnitAmount: net })],
          ...over,
        },
      ],
    },
  })
  expect(res.status).toBe(200)
  return res.body.Invoices[0] as { InvoiceID: string }
}

const allocate = (
  cnId: string,
  invoiceId: string,
  amount: number,
  opts: { key?: string; query?: string } = {},
) =>
  api(emu, token, 'PUT', `/CreditNotes/${cnId}/Allocations${opts.query ?? ''}`, {
    body: { Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: amount, Date: '2026-06-02' }] },
    ...(opts.key ? { headers: { 'Idempotency-Key': opts.key } } : {}),
  })
const stored = (cnId: string) => emu.control.organisation(UK).creditNotes.get(cnId)!
const storedInvoice = (id: string) => emu.control.organisation(UK).invoices.get(id)!

describe('credit note numbers', () => {
  it('refuses a sales credit note number that exists, whatever its case; PUT never updates', async () => {
    const first = await creditNote()
    const res = await api(emu, token, 'PUT', '/CreditNotes?summarizeErrors=false', {
      body: {
        CreditNotes: [
          {
            Type: 'ACCRECCREDIT',
            Contact: { ContactID: acme },
            CreditNoteNumber: first.CreditNoteNumber.toLowerCase(),
            LineItems: [line({ UnitAmount: 5 })],
          },
        ],
      },
    })
    expect(res.status).toBe(200)
    expect(res.body.CreditNotes[0]).toMatchObject({
      StatusAttributeString: 'ERROR',
      ValidationErrors: [{ Message: 'Credit Note # must be unique.' }],
    })
    expect(stored(first.CreditNoteID)).toMatchObject({ Total: 120 })
  })

  it('lets supplier credit numbers repeat, and numbers a note without one past those taken', async () => {
    const bill = {
      Type: 'ACCPAYCREDIT',
      CreditNoteNumber: 'SUP-1',
      LineItems: [line({ AccountCode: '400' })],
    }
    await creditNote(bill)
    await creditNote(bill)
    await creditNote({ CreditNoteNumber: 'CN-0001' })
    const auto = await creditNote({ CreditNoteNumber: undefined })
    expect(auto.CreditNoteNumber).toBe('CN-0002')
  })

  it('finds notes by a where on CreditNoteNumber, with their lines when paged', async () => {
    const [a, b] = [await creditNote(), await creditNote()]
    const where = `CreditNoteNumber=="${a.CreditNoteNumber}" OR CreditNoteNumber=="${b.CreditNoteNumber}"`
    const res = await api(emu, token, 'GET', `/CreditNotes?page=1&where=${encodeURIComponent(where)}`)
    expect(res.body.CreditNotes.map((c: { CreditNoteID: string }) => c.CreditNoteID)).toEqual([
      a.CreditNoteID,
      b.CreditNoteID,
    ])
    expect(res.body.CreditNotes[0].LineItems).toHaveLength(1)
    expect(res.body.pagination).toMatchObject({ page: 1, itemCount: 2 })
  })
})

describe('allocations', () => {
  it('answers an allocation with its AllocationID, and lists it on the credit note', async () => {
    const [cn, inv] = [await creditNote(), await invoice()]
    const res = await allocate(cn.CreditNoteID, inv.InvoiceID, 20)
    expect(res.status).toBe(200)
    const made = res.body.Allocations[0]
    expect(made).toMatchObject({
      AllocationID: expect.any(String),
      Amount: 20,
      Invoice: { InvoiceID: inv.InvoiceID },
      CreditNote: { CreditNoteID: cn.CreditNoteID },
      StatusAttributeString: 'OK',
    })
    const note = (await api(emu, token, 'GET', `/CreditNotes/${cn.CreditNoteID}`)).body.CreditNotes[0]
    expect(note).toMatchObject({ RemainingCredit: 100, Status: 'AUTHORISED' })
    expect(note.Allocations).toEqual([
      expect.objectContaining({
        AllocationID: made.AllocationID,
        Amount: 20,
        Invoice: expect.objectContaining({ InvoiceID: inv.InvoiceID }),
      }),
    ])
    const after = (await api(emu, token, 'GET', `/Invoices/${inv.InvoiceID}`)).body.Invoices[0]
    expect(after).toMatchObject({ AmountDue: 100, AmountCredited: 20 })
    expect(after.CreditNotes).toEqual([
      expect.objectContaining({ CreditNoteID: cn.CreditNoteID, AppliedAmount: 20 }),
    ])
  })

  it('refuses more than the credit left, and more than the invoice has due, changing nothing', async () => {
    const cn = await creditNote() // 120
    const big = await invoice(200) // 240
    const overCredit = await allocate(cn.CreditNoteID, big.InvoiceID, 120.01)
    expect(overCredit.status).toBe(400)
    expect(messages(overCredit)).toEqual([
      'Allocation amount exceeds the remaining credit on this credit note',
    ])
    const small = await invoice(10) // 12
    const overDue = await allocate(cn.CreditNoteID, small.InvoiceID, 12.01, {
      query: '?summarizeErrors=false',
    })
    expect(overDue.status).toBe(200)
    expect(overDue.body.Allocations[0]).toMatchObject({
      StatusAttributeString: 'ERROR',
      ValidationErrors: [
        { Message: 'Credit Note cannot be allocated as amount is greater than amount outstanding' },
      ],
    })
    expect(stored(cn.CreditNoteID)).toMatchObject({ RemainingCredit: 120, Allocations: [] })
    expect(storedInvoice(big.InvoiceID)).toMatchObject({ AmountDue: 240, AmountCredited: 0 })
    expect(storedInvoice(small.InvoiceID)).toMatchObject({ AmountDue: 12, AmountCredited: 0 })
  })

  it('refuses a draft credit note, and a draft, paid or purchase invoice', async () => {
    const draft = await creditNote({ Status: 'DRAFT' })
    const inv = await invoice()
    expect(messages(await allocate(draft.CreditNoteID, inv.InvoiceID, 1))).toEqual([
      'Credit Note must be Authorised before it can be allocated',
    ])
    const cn = await creditNote()
    const draftInvoice = await invoice(100, { Status: 'DRAFT' })
    expect(messages(await allocate(cn.CreditNoteID, draftInvoice.InvoiceID, 1))).toEqual([
      'Payments can only be made against Authorised documents',
    ])
    const paid = await invoice()
    emu.control.payInvoice(UK, paid.InvoiceID)
    expect(messages(await allocate(cn.CreditNoteID, paid.InvoiceID, 1))).toEqual([
      'The invoice you are trying to allocate to has already been paid off',
      'Credit Note cannot be allocated as amount is greater than amount outstanding',
    ])
    const bill = await invoice(100, { Type: 'ACCPAY', LineItems: [line({ AccountCode: '400' })] })
    expect(messages(await allocate(cn.CreditNoteID, bill.InvoiceID, 1))).toEqual([
      'Credit Note cannot be allocated to an incorrect invoice type',
    ])
    expect(stored(cn.CreditNoteID).Allocations).toEqual([])
  })

  it("refuses another contact's invoice and one in another currency", async () => {
    const cn = await creditNote()
    const theirs = await invoice(100, { Contact: { ContactID: brightside } })
    expect(messages(await allocate(cn.CreditNoteID, theirs.InvoiceID, 1))).toEqual([
      'The invoice and credit note must belong to the same contact',
    ])
    const euro = await invoice(100, { CurrencyCode: 'EUR' })
    expect(messages(await allocate(cn.CreditNoteID, euro.InvoiceID, 1))).toEqual([
      'The invoice and credit note must be in the same currency',
    ])
    expect(stored(cn.CreditNoteID)).toMatchObject({ RemainingCredit: 120, Allocations: [] })
  })

  it('replays an allocation sent again with its Idempotency-Key, allocating once', async () => {
    const [cn, inv] = [await creditNote(), await invoice()]
    const first = await allocate(cn.CreditNoteID, inv.InvoiceID, 30, { key: `alloc-${n}` })
    const again = await allocate(cn.CreditNoteID, inv.InvoiceID, 30, { key: `alloc-${n}` })
    expect(again.body.Allocations[0].AllocationID).toBe(first.body.Allocations[0].AllocationID)
    expect(stored(cn.CreditNoteID).Allocations).toHaveLength(1)
    expect(storedInvoice(inv.InvoiceID)).toMatchObject({ AmountCredited: 30, AmountDue: 90 })
    const other = await allocate(cn.CreditNoteID, inv.InvoiceID, 31, { key: `alloc-${n}` })
    expect(other.status).toBe(400)
    expect(messages(other)[0]).toMatch(/is used with a different request/)
  })
})

describe('editing and voiding', () => {
  it('refuses to edit or void a credit note with an allocation', async () => {
    const [cn, inv] = [await creditNote(), await invoice()]
    await allocate(cn.CreditNoteID, inv.InvoiceID, 10)
    for (const change of [{ LineItems: [line({ UnitAmount: 50 })] }, { Status: 'VOIDED' }]) {
      const res = await api(emu, token, 'POST', '/CreditNotes', {
        body: { CreditNotes: [{ CreditNoteID: cn.CreditNoteID, ...change }] },
      })
      expect(res.status).toBe(400)
      expect(messages(res)).toEqual([
        'This document cannot be edited as it has a payment or credit note allocated to it.',
      ])
    }
    expect(stored(cn.CreditNoteID)).toMatchObject({ Status: 'AUTHORISED', Total: 120, RemainingCredit: 110 })
  })

  it('voids an unallocated note: nothing left to allocate, and no way back', async () => {
    const [cn, inv] = [await creditNote(), await invoice()]
    const res = await api(emu, token, 'POST', '/CreditNotes', {
      body: { CreditNotes: [{ CreditNoteID: cn.CreditNoteID, Status: 'VOIDED' }] },
    })
    expect(res.body.CreditNotes[0]).toMatchObject({ Status: 'VOIDED', RemainingCredit: 0, Total: 120 })
    expect(messages(await allocate(cn.CreditNoteID, inv.InvoiceID, 1))).toContain(
      'Credit Note must be Authorised before it can be allocated',
    )
    const back = await api(emu, token, 'POST', '/CreditNotes', {
      body: { CreditNotes: [{ CreditNoteID: cn.CreditNoteID, Status: 'AUTHORISED' }] },
    })
    expect(messages(back)).toEqual(['Invoice not of valid status for modification'])
  })
})
