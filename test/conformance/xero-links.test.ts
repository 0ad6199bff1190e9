import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  ProviderAccount,
  ProviderAuth,
  ProviderInvoice,
  ProviderSync,
} from '../../server/providers/sync-contract.ts'
import type { XeroEmulator } from '../emulators/xero/index.ts'
import { buildCreditNote, buildInvoice } from '../emulators/xero/sync-testing.ts'
import { UK } from '../emulators/xero/testing.ts'
import { findContact } from './contacts.ts'
import { HOSTILE, expectEscaped, openPage } from './pages.ts'
import { pushOneInvoice } from './invoices.ts'
import { connectXeroSync, standardSpec } from './xero-harness.ts'

/** The links the Xero adapter returns, and the emulated go.xero.com pages they open. */
let emu: XeroEmulator
let sync: ProviderSync
let uk: ProviderAuth
let rates: Map<string, string>
let acme: string
let bank: ProviderAccount
let n = 0

beforeAll(async () => {
  ;({ emu, sync, auth: uk, rates, acme } = await connectXeroSync([UK]))
  bank = (await sync.chart.accounts(uk)).find((a) => a.code === '090')!
})
afterAll(() => emu.close())

/** 2 × 49.50 + 20% VAT: 118.80 GBP, its first line described by `description`. */
async function invoice(description = 'Labour'): Promise<ProviderInvoice> {
  const input = buildInvoice(sync, rates, standardSpec(`XL-${++n}`, acme))
  input.lines[0]!.description = description
  return pushOneInvoice(sync, uk, input, `job-${n}`)
}

const viaShortCode = (shortCode: string, path: string) =>
  `${emu.url}/organisationlogin/default.aspx?shortcode=${shortCode}&redirecturl=${path}`

describe('Xero links', () => {
  it('links a pushed invoice by its InvoiceID, and the link opens it: lines, tax, total, due', async () => {
    const inv = await invoice(HOSTILE)
    expect(inv.url).toBe(`${emu.url}/AccountsReceivable/View.aspx?InvoiceID=${inv.id}`)
    const { status, body } = await openPage(inv.url!)
    expect(status).toBe(200)
    expect(body).toContain(`Invoice ${inv.number}`)
    expect(body).toContain('Hedgerow Software Ltd')
    expect(body).toContain('Acme Widgets Ltd')
    expect(body).toContain('AUTHORISED')
    for (const figure of ['£99.00', '£19.80', '£118.80']) expect(body).toContain(figure)
    expectEscaped(body)
  })

  it('shows a payment recorded against it, and what is still due', async () => {
    const inv = await invoice()
    const [paid] = await sync.payments.createMany(
      uk,
      [
        {
          paymentId: `pay_${++n}`,
          invoice: { id: inv.id },
          contact: { id: acme },
          account: { id: bank.id, code: bank.code },
          currency: 'GBP',
          amountMinor: 5000n,
          date: '2026-11-05',
          reference: 'Card ending 4242',
          method: 'card',
        },
      ],
      `job-pay-${n}`,
    )
    expect(paid?.ok).toBe(true)
    const { body } = await openPage(inv.url!)
    expect(body).toContain('Card ending 4242')
    expect(body).toMatch(/Amount paid<\/th>\s*<td class="n">£50\.00/)
    expect(body).toMatch(/Amount due<\/th>\s*<td class="n">£68\.80/)
  })

  it('links a credit note and its contact; the credit allocated shows on both documents', async () => {
    const inv = await invoice()
    const note = buildCreditNote(sync, rates, {
      number: `XLC-${++n}`,
      contactId: acme,
      currency: 'GBP',
      lines: [{ q: '1', p: '10', tax: 'OUTPUT2' }],
    })
    const [made] = await sync.creditNotes.upsertMany(uk, [note], `job-cn-${n}`)
    if (!made?.ok) throw new Error('credit note refused')
    const cn = made.creditNote
    expect(cn.url).toBe(`${emu.url}/AccountsPayable/ViewCreditNote.aspx?creditNoteID=${cn.id}`)
    await sync.creditNotes.allocate(
      uk,
      {
        creditNote: { id: cn.id },
        invoice: { id: inv.id },
        contact: { id: acme },
        currency: 'GBP',
        amountMinor: 1200n,
        date: '2026-11-06',
      },
      `job-alloc-${n}`,
    )
    const onNote = (await openPage(cn.url!)).body
    expect(onNote).toContain(`Credit note ${cn.number}`)
    expect(onNote).toContain(inv.number)
    expect(onNote).toMatch(/Remaining credit<\/th>\s*<td class="n">£0\.00/)
    const onInvoice = (await openPage(inv.url!)).body
    expect(onInvoice).toContain(cn.number)
    expect(onInvoice).toMatch(/Amount due<\/th>\s*<td class="n">£106\.80/)

    const contact = await findContact(sync, uk, { reference: 'CUST-001', email: null, name: 'x' })
    expect(contact?.url).toBe(`${emu.url}/Contacts/View/${acme}`)
    const page = await openPage(contact!.url!)
    expect(page.body).toContain('Acme Widgets Ltd')
    expect(page.body).toContain(inv.number)
  })

  it("links through the organisation's short code where the connection keeps one", async () => {
    const inv = await invoice()
    const withCode = (auth: ProviderAuth, shortCode: string) => ({
      ...auth,
      organisation: { ...auth.organisation, meta: { ...auth.organisation.meta, shortCode } },
    })
    const [found] = await sync.invoices.findByNumbers(withCode(uk, '!hDg3w'), [inv.number])
    expect(found?.url).toBe(viaShortCode('!hDg3w', `/AccountsReceivable/View.aspx?InvoiceID=${inv.id}`))
    const { status, body } = await openPage(found!.url!)
    expect(status).toBe(200)
    expect(body).toContain(`Invoice ${inv.number}`)
    const [contact] = await sync.contacts.findMany(withCode(uk, '!hDg3w'), [
      { reference: 'CUST-001', email: null, name: 'x' },
    ])
    expect(contact?.ok && contact.match?.url).toBe(viaShortCode('!hDg3w', `/Contacts/View/${acme}`))
    expect((await openPage(viaShortCode('!hDg3w', `/Contacts/View/${acme}`))).status).toBe(200)
    // Another organisation's short code does not open it.
    expect(
      (await openPage(viaShortCode('!rWd7a', `/AccountsReceivable/View.aspx?InvoiceID=${inv.id}`))).status,
    ).toBe(404)
  })

  it('answers a 404 page for an unknown id, an unknown short code, or another organisation’s short code', async () => {
    const inv = await invoice()
    for (const url of [
      `${emu.url}/AccountsReceivable/View.aspx?InvoiceID=00000000-0000-0000-0000-000000000000`,
      viaShortCode('!nope', `/AccountsReceivable/View.aspx?InvoiceID=${inv.id}`),
      viaShortCode('!rWd7a', `/AccountsReceivable/View.aspx?InvoiceID=${inv.id}`),
      viaShortCode('!hDg3w', '//elsewhere.example/'),
      `${emu.url}/Contacts/View/%E0%A4%A`,
    ]) {
      const { status, body } = await openPage(url)
      expect(status, url).toBe(404)
      expect(body).toContain('Not found')
    }
  })

  it('lists every organisation’s invoices on the books page, newest first, each linked', async () => {
    const older = await invoice()
    const newer = await invoice()
    const { status, body } = await openPage(`${emu.url}/books`)
    expect(status).toBe(200)
    expect(body).toContain('Redwood Analytics Inc')
    expect(body).toContain(`href="/AccountsReceivable/View.aspx?InvoiceID=${newer.id}"`)
    expect(body.indexOf(newer.number)).toBeLessThan(body.indexOf(older.number))
  })

  it('adds pages without loosening the API: no token is still 401, and pages are not in the request log', async () => {
    const before = emu.control.requests().length
    await openPage(`${emu.url}/books`)
    expect(emu.control.requests().length).toBe(before)
    expect((await fetch(`${emu.url}/api.xro/2.0/Invoices`)).status).toBe(401)
    expect((await fetch(`${emu.url}/books`, { method: 'POST' })).status).toBe(404)
  })
})
