import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import type {
  CreditNoteInput,
  InvoiceInput,
  ProviderAuth,
  ProviderSync,
} from '../../server/providers/sync-contract.ts'
import type { QuickBooksEmulator } from '../emulators/quickbooks/index.ts'
import { DEFAULT_COMPANY, startQuickBooksEmulator } from '../emulators/quickbooks/index.ts'
import { frozenClock } from './conformance.ts'
import { createContact, findContact } from './contacts.ts'
import { HOSTILE, expectEscaped, openPage } from './pages.ts'
import { connectQuickBooksSync } from './quickbooks-harness.ts'

/** The links the QuickBooks adapter returns, and the emulated app.qbo.intuit.com pages they open. */
let emu: QuickBooksEmulator
let sync: ProviderSync
let auth: ProviderAuth
let seq = 0

beforeAll(async () => {
  ;({ emu, sync, auth } = await connectQuickBooksSync())
})
afterAll(() => emu.close())
// Keep under QBO's 40 batches a minute by letting the emulator's minute pass.
beforeEach(() => emu.control.clock.advance(60_000))

const line = { quantity: '1', unitPrice: '100', discountRate: null, discountMinor: null, taxRate: '20' }
const lines = (n: number, description: string) => {
  const totals = sync.totals({ currency: 'GBP', amounts: 'tax_exclusive', lines: [line] })
  return {
    totals,
    lines: [
      {
        ...line,
        lineId: `line_${n}`,
        providerLineId: null,
        description,
        accountRef: '1',
        taxRateRef: '2',
        itemRef: '1',
        netMinor: totals.lines[0]!.netMinor,
        taxMinor: totals.lines[0]!.taxMinor,
      },
    ],
  }
}
const base = (n: number, description: string) => ({
  reference: null,
  contact: { id: '1' },
  currency: 'GBP',
  issueDate: '2026-11-20',
  amounts: 'tax_exclusive' as const,
  notes: null,
  existing: null,
  ...lines(n, description),
})

/** One 100.00 line at 20% VAT: 120.00 GBP. */
async function invoice(description = 'Subscription') {
  const n = ++seq
  const input: InvoiceInput = {
    ...base(n, description),
    invoiceId: `inv_l${n}`,
    number: `LNK-${n}`,
    dueDate: '2026-12-20',
  }
  const [result] = await sync.invoices.upsertMany(auth, [input], `job-link-${n}`)
  if (!result?.ok) throw result?.error ?? new Error('no result')
  return result.invoice
}

describe('QuickBooks links', () => {
  it('derives the web app from the API host: production, sandbox, or as configured', () => {
    const app = (env: Record<string, string>) =>
      loadConfig({ NODE_ENV: 'test', ...env }).providers.quickbooks.urls.app
    expect(app({})).toBe('https://app.qbo.intuit.com')
    expect(app({ QUICKBOOKS_API_URL: 'https://sandbox-quickbooks.api.intuit.com' })).toBe(
      'https://app.sandbox.qbo.intuit.com',
    )
    expect(app({ QUICKBOOKS_APP_URL: 'http://127.0.0.1:9' })).toBe('http://127.0.0.1:9')
  })

  it('links a pushed invoice by its Id, and the link opens it: lines, VAT, total, balance', async () => {
    const inv = await invoice(HOSTILE)
    expect(inv.url).toBe(`${emu.url}/app/invoice?txnId=${inv.id}`)
    const { status, body } = await openPage(inv.url!)
    expect(status).toBe(200)
    expect(body).toContain(`Invoice ${inv.number}`)
    expect(body).toContain(DEFAULT_COMPANY.name)
    for (const figure of ['£100.00', '£20.00', '£120.00']) expect(body).toContain(figure)
    expect(body).toMatch(/Balance due<\/th>\s*<td class="n">£120\.00/)
    expectEscaped(body)
  })

  it('shows a payment recorded against it, and the balance left', async () => {
    const inv = await invoice()
    const [paid] = await sync.payments.createMany(
      auth,
      [
        {
          paymentId: `pay_${++seq}`,
          invoice: { id: inv.id },
          contact: { id: '1' },
          account: { id: '35', code: null },
          currency: 'GBP',
          amountMinor: 4500n,
          date: '2026-11-21',
          reference: 'BACS-777',
          method: 'bank_transfer',
        },
      ],
      `job-pay-${seq}`,
    )
    expect(paid?.ok).toBe(true)
    const { body } = await openPage(inv.url!)
    expect(body).toContain('BACS-777')
    expect(body).toMatch(/Amount received<\/th>\s*<td class="n">£45\.00/)
    expect(body).toMatch(/Balance due<\/th>\s*<td class="n">£75\.00/)
    expect(body).toContain('Partially paid')
  })

  it('links a credit memo and the customer; the credit applied shows on both documents', async () => {
    const inv = await invoice()
    const n = ++seq
    const note: CreditNoteInput = {
      ...base(n, 'Returned'),
      creditNoteId: `cn_l${n}`,
      number: `CM-${n}`,
      voided: false,
    }
    const [made] = await sync.creditNotes.upsertMany(auth, [note], `job-cn-${n}`)
    if (!made?.ok) throw made?.error ?? new Error('no result')
    const memo = made.creditNote
    expect(memo.url).toBe(`${emu.url}/app/creditmemo?txnId=${memo.id}`)
    await sync.creditNotes.allocate(
      auth,
      {
        creditNote: { id: memo.id },
        invoice: { id: inv.id },
        contact: { id: '1' },
        currency: 'GBP',
        amountMinor: 3000n,
        date: '2026-11-21',
      },
      `job-alloc-${n}`,
    )
    const onMemo = (await openPage(memo.url!)).body
    expect(onMemo).toContain(`Credit note ${memo.number}`)
    expect(onMemo).toContain(`href="/app/invoice?txnId=${inv.id}"`)
    expect(onMemo).toMatch(/Remaining credit<\/th>\s*<td class="n">£90\.00/)
    const onInvoice = (await openPage(inv.url!)).body
    expect(onInvoice).toContain(`href="/app/creditmemo?txnId=${memo.id}"`)
    expect(onInvoice).toMatch(/Balance due<\/th>\s*<td class="n">£90\.00/)
    expect(onInvoice).toMatch(/<h2>Payments<\/h2>\s*<p class="muted">None\.<\/p>/)

    const customer = await createContact(
      sync,
      auth,
      { reference: `cus_l${n}`, name: `Linked Customer ${n}`, email: null, phone: null, currency: 'GBP' },
      `job-cus-${n}`,
    )
    expect(customer.url).toBe(`${emu.url}/app/customerdetail?nameId=${customer.id}`)
    expect((await openPage(customer.url!)).body).toContain(`Linked Customer ${n}`)
    const found = await findContact(sync, auth, {
      reference: `cus_l${n}`,
      email: null,
      name: `Linked Customer ${n}`,
    })
    expect(found?.url).toBe(customer.url)
    const page = await openPage(`${emu.url}/app/customerdetail?nameId=1`)
    expect(page.body).toContain(inv.number)
  })

  it('answers a 404 page for an unknown Id, and lists the invoice on the books page, newest first', async () => {
    const older = await invoice()
    const newer = await invoice()
    for (const path of ['/app/invoice?txnId=999999', '/app/creditmemo?txnId=nope', '/app/customerdetail']) {
      const { status, body } = await openPage(`${emu.url}${path}`)
      expect(status, path).toBe(404)
      expect(body).toContain('Not found')
    }
    const { body } = await openPage(`${emu.url}/books`)
    expect(body).toContain(`href="/app/invoice?txnId=${newer.id}"`)
    expect(body.indexOf(newer.number)).toBeLessThan(body.indexOf(older.number))
    expect((await fetch(`${emu.url}/v3/company/${DEFAULT_COMPANY.realmId}/invoice/${newer.id}`)).status).toBe(
      401,
    )
  })
})

describe('QuickBooks pages with several companies', () => {
  it('opens the one company that holds the Id, and asks which when several do', async () => {
    const multi = await startQuickBooksEmulator({
      clock: frozenClock(),
      companies: [{}, { name: 'Second Co LLC' }],
    })
    try {
      const [a, b] = multi.control.realmIds()
      const write = (realm: string, price: number) =>
        multi.control.write(realm, 'invoice', {
          CustomerRef: { value: '1' },
          Line: [
            {
              Amount: price,
              DetailType: 'SalesItemLineDetail',
              SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: price },
            },
          ],
        })
      const first = write(a!, 10)
      const second = write(b!, 20)
      expect(second.Id).toBe(first.Id)
      const chooser = await openPage(`${multi.url}/app/invoice?txnId=${first.Id}`)
      expect(chooser.status).toBe(300)
      expect(chooser.body).toContain('Second Co LLC')
      expect(chooser.body).toContain(`companyId=${b!}`)
      const picked = await openPage(`${multi.url}/app/invoice?txnId=${first.Id}&companyId=${b!}`)
      expect(picked.status).toBe(200)
      expect(picked.body).toContain('Second Co LLC')
      expect(picked.body).toContain('$20.00')
    } finally {
      await multi.close()
    }
  })
})
