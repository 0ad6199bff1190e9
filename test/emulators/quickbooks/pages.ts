import type { Context } from 'hono'
import { Hono } from 'hono'
import type { DocumentView, InvoiceRow } from '../common/pages.ts'
import { BOOKS_PATH, html, money, notFoundPage, page } from '../common/html.ts'
import { booksPage, contactPage, documentPage } from '../common/pages.ts'
import type { Company, EntityType, QboEntity } from './company/store.ts'
import type { QboCore } from './core.ts'
import { applications } from './entities/ledger.ts'
import { refValue, type Fields } from './entities/context.ts'

/**
 * app.qbo.intuit.com's pages for the records the adapter links to, at the web app's own addresses
 * (`/app/invoice?txnId=`, `/app/creditmemo?txnId=`, `/app/customerdetail?nameId=`). Those name no
 * company: the page is the one company's that holds the Id. QBO numbers each company's records
 * from the same start, so when several hold it the page asks which, with `companyId` (the realm),
 * as switching company in QuickBooks would. Read-only, no sign-in (loopback only).
 */
const PROVIDER = 'QuickBooks Online'
const PATHS = { invoice: '/app/invoice', creditMemo: '/app/creditmemo', customer: '/app/customerdetail' }
const href = (path: string, key: string, id: string) => `${path}?${key}=${encodeURIComponent(id)}`

const currencyOf = (company: Company, doc: QboEntity) =>
  refValue(doc.CurrencyRef) ??
  refValue((company.preferences().CurrencyPrefs as Fields | undefined)?.HomeCurrency) ??
  'USD'
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0))
const text = (v: unknown) => (typeof v === 'string' ? v : '')

function statusOf(doc: QboEntity): string {
  if (text(doc.PrivateNote).startsWith('Voided')) return 'Voided'
  const total = num(doc.TotalAmt)
  const balance = num(doc.Balance)
  if (total > 0 && balance === 0) return doc.RemainingCredit !== undefined ? 'Closed' : 'Paid'
  if (balance < total) return doc.RemainingCredit !== undefined ? 'Partially applied' : 'Partially paid'
  return 'Open'
}

function lineViews(company: Company, doc: QboEntity, currency: string) {
  return ((doc.Line as Fields[] | undefined) ?? [])
    .filter((l) => l.DetailType === 'SalesItemLineDetail' || l.DetailType === 'DescriptionOnly')
    .map((l) => {
      const detail = (l.SalesItemLineDetail as Fields | undefined) ?? {}
      const item = detail.ItemRef as Fields | undefined
      return {
        description: text(l.Description) || text(item?.name),
        quantity: detail.Qty === undefined ? '' : String(num(detail.Qty)),
        unitPrice: detail.UnitPrice === undefined ? '' : money(num(detail.UnitPrice), currency),
        // The line's tax code, as QBO shows it (VAT per line; a US line is taxable or not).
        tax:
          text(company.get('TaxCode', refValue(detail.TaxCodeRef) ?? '')?.Name) ||
          (refValue(detail.TaxCodeRef) ?? ''),
        amount: money(num(l.Amount), currency),
      }
    })
}

/** What each live Payment sets against this document, split into money received and credit applied. */
function settlements(company: Company, type: 'Invoice' | 'CreditMemo', doc: QboEntity, currency: string) {
  const payments: DocumentView['payments'] = []
  const allocations: DocumentView['allocations'] = []
  for (const p of company.list('Payment')) {
    const applied = applications(p)
    const here = applied.get(`${type}:${doc.Id}`)
    if (!here) continue
    const date = text(p.TxnDate)
    // The other side: on an invoice, the credit memos the same Payment applies; on a memo, the invoices.
    const otherType: EntityType = type === 'Invoice' ? 'CreditMemo' : 'Invoice'
    let credited = 0
    let left = here // a memo's credit goes to its invoices in order, each up to what it took
    for (const [key, amount] of applied) {
      const [t, id = ''] = key.split(':')
      if (t !== otherType) continue
      const other = company.get(otherType, id)
      const cents = type === 'Invoice' ? amount : Math.min(amount, left)
      if (type === 'Invoice') credited += cents
      else left -= cents
      allocations.push({
        date,
        document: {
          text: text(other?.DocNumber) || id,
          href: href(otherType === 'Invoice' ? PATHS.invoice : PATHS.creditMemo, 'txnId', id),
        },
        amount: money(cents / 100, currency),
      })
    }
    const received = here - credited
    if (type === 'Invoice' && received > 0)
      payments.push({ date, reference: text(p.PaymentRefNum), amount: money(received / 100, currency) })
  }
  return { payments, allocations }
}

function documentView(company: Company, type: 'Invoice' | 'CreditMemo', doc: QboEntity): DocumentView {
  const currency = currencyOf(company, doc)
  const m = (v: unknown) => money(num(v), currency)
  const customer = refValue(doc.CustomerRef) ?? ''
  const tax = num((doc.TxnTaxDetail as Fields | undefined)?.TotalTax)
  const total = num(doc.TotalAmt)
  const invoice = type === 'Invoice'
  return {
    kind: invoice ? 'Invoice' : 'Credit note',
    organisation: company.name,
    number: text(doc.DocNumber),
    status: statusOf(doc),
    contact: {
      text: text((doc.CustomerRef as Fields | undefined)?.name),
      href: href(PATHS.customer, 'nameId', customer),
    },
    facts: [
      [invoice ? 'Invoice date' : 'Credit memo date', text(doc.TxnDate)],
      ...(invoice ? ([['Due date', text(doc.DueDate)]] as [string, string][]) : []),
      ['Memo', text(doc.PrivateNote)],
    ],
    lines: lineViews(company, doc, currency),
    totals: [
      ['Net', m(total - tax)],
      ['Tax', m(tax)],
      ['Total', m(total)],
      ...((invoice
        ? [
            ['Amount received', m(total - num(doc.Balance))],
            ['Balance due', m(doc.Balance)],
          ]
        : [['Remaining credit', m(doc.Balance)]]) as [string, string][]),
    ],
    ...settlements(company, type, doc, currency),
  }
}

function invoiceRows(company: Company, customerId?: string): InvoiceRow[] {
  return (
    company
      .list('Invoice')
      .filter((i) => !customerId || refValue(i.CustomerRef) === customerId)
      // Newest first: the company keeps them in the order they were made.
      .reverse()
      .map((i) => {
        const currency = currencyOf(company, i)
        return {
          number: { text: text(i.DocNumber), href: href(PATHS.invoice, 'txnId', i.Id) },
          contact: text((i.CustomerRef as Fields | undefined)?.name),
          date: text(i.TxnDate),
          total: money(num(i.TotalAmt), currency),
          due: money(num(i.Balance), currency),
          status: statusOf(i),
        }
      })
  )
}

export function pageRoutes(core: QboCore) {
  const app = new Hono()
  const companies = () => [...core.companies.values()]

  /** The one company holding this Id, or a page that says which hold it (or that none does). */
  function pick(c: Context, type: EntityType, key: string, path: string, what: string) {
    const id = c.req.query(key) ?? ''
    const realm = c.req.query('companyId')
    const holders = companies().filter((co) => (!realm || co.realmId === realm) && co.get(type, id))
    if (holders.length === 0) return notFoundPage(PROVIDER, `such ${what}`)
    if (holders.length === 1) return { company: holders[0]!, entity: holders[0]!.get(type, id)! }
    const choices = holders.map(
      (co) =>
        html`<li>
          <a href="${`${href(path, key, id)}&companyId=${encodeURIComponent(co.realmId)}`}">${co.name}</a>
        </li>`,
    )
    return page(
      PROVIDER,
      'Choose a company',
      html`<h1>Which company?</h1>
        <p>Several companies have a ${what} ${id}.</p>
        <ul>
          ${choices}
        </ul>`,
      300,
    )
  }

  app.get(BOOKS_PATH, () =>
    booksPage(PROVIDER, {
      organisations: companies().map((co) => ({
        name: co.name,
        note: `Company ID (realm) ${co.realmId}`,
        invoices: invoiceRows(co),
      })),
    }),
  )
  app.get(PATHS.invoice, (c) => {
    const found = pick(c, 'Invoice', 'txnId', PATHS.invoice, 'invoice')
    return found instanceof Response
      ? found
      : documentPage(PROVIDER, documentView(found.company, 'Invoice', found.entity))
  })
  app.get(PATHS.creditMemo, (c) => {
    const found = pick(c, 'CreditMemo', 'txnId', PATHS.creditMemo, 'credit memo')
    return found instanceof Response
      ? found
      : documentPage(PROVIDER, documentView(found.company, 'CreditMemo', found.entity))
  })
  app.get(PATHS.customer, (c) => {
    const found = pick(c, 'Customer', 'nameId', PATHS.customer, 'customer')
    if (found instanceof Response) return found
    const { company, entity } = found
    return contactPage(PROVIDER, {
      organisation: company.name,
      name: text(entity.DisplayName),
      facts: [
        ['Email', text((entity.PrimaryEmailAddr as Fields | undefined)?.Address)],
        ['Phone', text((entity.PrimaryPhone as Fields | undefined)?.FreeFormNumber)],
        ['Open balance', money(num(entity.Balance), currencyOf(company, entity))],
      ],
      invoices: invoiceRows(company, entity.Id),
    })
  })
  return app
}
