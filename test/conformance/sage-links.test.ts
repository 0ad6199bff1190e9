import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { webLinkOf } from '../../server/providers/sage/mappers.ts'
import type {
  CreditNoteInput,
  InvoiceInput,
  ProviderAuth,
  ProviderSync,
} from '../../server/providers/sync-contract.ts'
import type { SageEmulator } from '../emulators/sage/index.ts'
import { SAGE_DEMO_IDS } from '../emulators/sage/index.ts'
import { createContact, findContact } from './contacts.ts'
import { pushOneInvoice } from './invoices.ts'
import { HOSTILE, expectEscaped, openPage } from './pages.ts'
import { connectSageBusiness, sageDocument } from './sage-harness.ts'

/**
 * The links the Sage adapter returns: the record's page in Sage's web app as Sage's own answer
 * links it (`links`, rel alternate, text/html), and the emulated pages they open.
 */
let emu: SageEmulator
let sync: ProviderSync
let auth: ProviderAuth
let seq = 0

beforeAll(async () => {
  ;({ emu, sync, auth } = await connectSageBusiness())
})
afterAll(() => emu.close())

const business = () => emu.control.business(SAGE_DEMO_IDS.hartley)
const acme = () => [...business().contacts.values()].find((c) => c.reference === 'ACME001')!

/** One line of 100.00 net + 20% VAT = 120.00 GBP, as the engine builds it. */
function document(description: string) {
  const n = ++seq
  return { n, ...sageDocument(emu, sync, { lineId: `line_${n}`, description }) }
}

async function invoice(description = 'Consulting') {
  const { n, ...doc } = document(description)
  const input: InvoiceInput = { ...doc, invoiceId: `inv_l${n}`, number: `SL-${n}`, dueDate: '2026-12-02' }
  return pushOneInvoice(sync, auth, input, 'ignored-by-sage')
}

describe('Sage links', () => {
  it('keeps only an http(s) alternate text/html link from an answer', () => {
    const link = (href: string, rel = 'alternate', type = 'text/html') =>
      webLinkOf({ links: [{ href, rel, type }] })
    expect(link('https://accounts-extra.sageone.com/invoicing/sales_invoices/abc')).toBe(
      'https://accounts-extra.sageone.com/invoicing/sales_invoices/abc',
    )
    expect(link('javascript:alert(1)')).toBeNull()
    expect(link('/relative')).toBeNull()
    expect(link('https://x.example/', 'self')).toBeNull()
    expect(link('https://x.example/', 'alternate', 'application/json')).toBeNull()
    expect(webLinkOf({})).toBeNull()
  })

  it("links a pushed invoice to the page Sage's answer names, and the link opens it", async () => {
    const inv = await invoice(HOSTILE)
    expect(inv.url).toBe(`${emu.url}/invoicing/sales_invoices/${inv.id}`)
    const { status, body } = await openPage(inv.url!)
    expect(status).toBe(200)
    expect(body).toContain(`Invoice ${inv.number}`)
    expect(body).toContain(acme().name)
    for (const figure of ['£100.00', '£20.00', '£120.00']) expect(body).toContain(figure)
    expect(body).toMatch(/Outstanding<\/th>\s*<td class="n">£120\.00/)
    expectEscaped(body)
    // The lookup after an uncertain outcome answers the same link.
    const [found] = await sync.invoices.findByNumbers(auth, [inv.number])
    expect(found?.url).toBe(inv.url)
  })

  it('shows a receipt allocated to it, and what is outstanding', async () => {
    const inv = await invoice()
    const [paid] = await sync.payments.createMany(
      auth,
      [
        {
          paymentId: `pay_${++seq}`,
          invoice: { id: inv.id },
          contact: { id: acme().id },
          account: { id: business().bankAccounts[0]!.id, code: '1200' },
          currency: 'GBP',
          amountMinor: 2000n,
          date: '2026-11-10',
          reference: 'BACS 4242',
          method: 'bank_transfer',
        },
      ],
      'ignored-by-sage',
    )
    expect(paid?.ok).toBe(true)
    const { body } = await openPage(inv.url!)
    expect(body).toContain('BACS 4242')
    expect(body).toMatch(/Paid<\/th>\s*<td class="n">£20\.00/)
    expect(body).toMatch(/Outstanding<\/th>\s*<td class="n">£100\.00/)
    expect(body).toContain('Part Paid')
  })

  it('links a credit note and a contact; the allocation shows on both documents', async () => {
    const inv = await invoice()
    const { n, ...doc } = document('Returned')
    const input: CreditNoteInput = { ...doc, creditNoteId: `cn_l${n}`, number: `SLC-${n}`, voided: false }
    const [made] = await sync.creditNotes.upsertMany(auth, [input], 'ignored-by-sage')
    if (!made?.ok) throw made?.error ?? new Error('no result')
    const note = made.creditNote
    expect(note.url).toBe(`${emu.url}/invoicing/sales_credit_notes/${note.id}`)
    await sync.creditNotes.allocate(
      auth,
      {
        creditNote: { id: note.id },
        invoice: { id: inv.id },
        contact: { id: acme().id },
        currency: 'GBP',
        amountMinor: 5000n,
        date: '2026-11-11',
      },
      'ignored-by-sage',
    )
    const onNote = (await openPage(note.url!)).body
    expect(onNote).toContain(`href="/invoicing/sales_invoices/${inv.id}"`)
    expect(onNote).toMatch(/Remaining credit<\/th>\s*<td class="n">£70\.00/)
    const onInvoice = (await openPage(inv.url!)).body
    expect(onInvoice).toContain(`href="/invoicing/sales_credit_notes/${note.id}"`)
    expect(onInvoice).toMatch(/Outstanding<\/th>\s*<td class="n">£70\.00/)

    const matched = await findContact(sync, auth, { reference: 'ACME001', email: null, name: 'x' })
    expect(matched?.url).toBe(`${emu.url}/contacts/customers/${acme().id}`)
    expect((await openPage(matched!.url!)).body).toContain(inv.number)
    const made2 = await createContact(
      sync,
      auth,
      { reference: `LNK${n}`, name: `Linked Ltd ${n}`, email: null, phone: null, currency: 'GBP' },
      'ignored-by-sage',
    )
    expect(made2.url).toBe(`${emu.url}/contacts/customers/${made2.id}`)
  })

  it('answers a 404 page for an unknown id, and lists the invoice on the books page, newest first', async () => {
    const older = await invoice()
    const newer = await invoice()
    for (const path of ['/invoicing/sales_invoices/nope', `/invoicing/sales_credit_notes/${newer.id}`]) {
      const { status, body } = await openPage(`${emu.url}${path}`)
      expect(status, path).toBe(404)
      expect(body).toContain('Not found')
    }
    const { body } = await openPage(`${emu.url}/books`)
    expect(body).toContain(`href="/invoicing/sales_invoices/${newer.id}"`)
    expect(body.indexOf(newer.number)).toBeLessThan(body.indexOf(older.number))
    expect((await fetch(`${emu.url}/v3.1/sales_invoices/${newer.id}`)).status).toBe(401)
  })
})
