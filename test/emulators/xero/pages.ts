import type { Context } from 'hono'
import { Hono } from 'hono'
import type { DocumentView, InvoiceRow } from '../common/pages.ts'
import { BOOKS_PATH, money, notFoundPage } from '../common/html.ts'
import { booksPage, contactPage, documentPage } from '../common/pages.ts'
import type { XeroContext } from './context.ts'
import type { CreditNoteRecord, InvoiceRecord, OrganisationStore } from './model.ts'

/**
 * go.xero.com's pages for the records the adapter links to, at the paths of Xero's "Deep link to
 * Xero" guide (https://developer.xero.com/documentation/api-guides/deep-link-xero): each plain, or
 * behind `/organisationlogin/default.aspx?shortcode=…&redirecturl=…`, which picks the organisation
 * by its ShortCode. Read-only and without sign-in (loopback only); no API route is touched.
 */
const PROVIDER = 'Xero'
const PATHS = {
  organisationLogin: '/organisationlogin/default.aspx',
  invoice: '/AccountsReceivable/View.aspx',
  creditNote: '/AccountsPayable/ViewCreditNote.aspx',
  contact: '/Contacts/View/',
}
const invoiceHref = (id: string) => `${PATHS.invoice}?InvoiceID=${encodeURIComponent(id)}`
const creditNoteHref = (id: string) => `${PATHS.creditNote}?creditNoteID=${encodeURIComponent(id)}`
const contactHref = (id: string) => `${PATHS.contact}${encodeURIComponent(id)}`

const lineViews = (doc: InvoiceRecord | CreditNoteRecord) =>
  doc.LineItems.map((l) => ({
    description: l.Description ?? '',
    quantity: String(l.Quantity),
    unitPrice: money(l.UnitAmount, doc.CurrencyCode),
    tax: money(l.TaxAmount, doc.CurrencyCode),
    amount: money(l.LineAmount, doc.CurrencyCode),
  }))

const contactName = (org: OrganisationStore, id: string) => org.contacts.get(id)?.Name ?? ''

function invoiceView(org: OrganisationStore, inv: InvoiceRecord): DocumentView {
  const m = (n: number) => money(n, inv.CurrencyCode)
  return {
    kind: 'Invoice',
    organisation: org.profile.Name,
    number: inv.InvoiceNumber,
    status: inv.Status,
    contact: { text: contactName(org, inv.ContactID), href: contactHref(inv.ContactID) },
    facts: [
      ['Date', inv.Date],
      ['Due date', inv.DueDate ?? ''],
      ['Reference', inv.Reference ?? ''],
      ['Amounts are', inv.LineAmountTypes],
    ],
    lines: lineViews(inv),
    totals: [
      ['Subtotal', m(inv.SubTotal)],
      ['Tax', m(inv.TotalTax)],
      ['Total', m(inv.Total)],
      ['Amount paid', m(inv.AmountPaid)],
      ['Amount credited', m(inv.AmountCredited)],
      ['Amount due', m(inv.AmountDue)],
    ],
    payments: inv.PaymentIDs.map((id) => org.payments.get(id))
      .filter((p) => p?.Status === 'AUTHORISED')
      .map((p) => ({ date: p!.Date, reference: p!.Reference ?? '', amount: m(p!.Amount) })),
    allocations: inv.Allocations.map((a) => ({
      date: a.Date,
      document: {
        text: org.creditNotes.get(a.CreditNoteID)?.CreditNoteNumber ?? a.CreditNoteID,
        href: creditNoteHref(a.CreditNoteID),
      },
      amount: m(a.Amount),
    })),
  }
}

function creditNoteView(org: OrganisationStore, cn: CreditNoteRecord): DocumentView {
  const m = (n: number) => money(n, cn.CurrencyCode)
  return {
    kind: 'Credit note',
    organisation: org.profile.Name,
    number: cn.CreditNoteNumber,
    status: cn.Status,
    contact: { text: contactName(org, cn.ContactID), href: contactHref(cn.ContactID) },
    facts: [
      ['Date', cn.Date],
      ['Reference', cn.Reference ?? ''],
    ],
    lines: lineViews(cn),
    totals: [
      ['Subtotal', m(cn.SubTotal)],
      ['Tax', m(cn.TotalTax)],
      ['Total', m(cn.Total)],
      ['Remaining credit', m(cn.RemainingCredit)],
    ],
    payments: [],
    allocations: cn.Allocations.map((a) => ({
      date: a.Date,
      document: {
        text: org.invoices.get(a.InvoiceID)?.InvoiceNumber ?? a.InvoiceID,
        href: invoiceHref(a.InvoiceID),
      },
      amount: m(a.Amount),
    })),
  }
}

/** Sales invoices, newest first (the store keeps them in the order they were made). */
function invoiceRows(org: OrganisationStore, contactId?: string): InvoiceRow[] {
  return [...org.invoices.values()]
    .filter((i) => i.Type === 'ACCREC' && (!contactId || i.ContactID === contactId))
    .reverse()
    .map((i) => ({
      number: { text: i.InvoiceNumber, href: invoiceHref(i.InvoiceID) },
      contact: contactName(org, i.ContactID),
      date: i.Date,
      total: money(i.Total, i.CurrencyCode),
      due: money(i.AmountDue, i.CurrencyCode),
      status: i.Status,
    }))
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s)
  } catch {
    return ''
  }
}

/** The page a deep-link path names, looked for in these organisations. */
function resolve(orgs: OrganisationStore[], path: string, query: URLSearchParams): Response {
  if (path === PATHS.invoice) {
    const id = query.get('InvoiceID') ?? ''
    const org = orgs.find((o) => o.invoices.get(id)?.Type === 'ACCREC')
    return org
      ? documentPage(PROVIDER, invoiceView(org, org.invoices.get(id)!))
      : notFoundPage(PROVIDER, 'such invoice')
  }
  if (path === PATHS.creditNote) {
    const id = query.get('creditNoteID') ?? ''
    const org = orgs.find((o) => o.creditNotes.has(id))
    return org
      ? documentPage(PROVIDER, creditNoteView(org, org.creditNotes.get(id)!))
      : notFoundPage(PROVIDER, 'such credit note')
  }
  if (path.startsWith(PATHS.contact)) {
    const id = safeDecode(path.slice(PATHS.contact.length))
    const org = orgs.find((o) => o.contacts.has(id))
    if (!org) return notFoundPage(PROVIDER, 'such contact')
    const c = org.contacts.get(id)!
    return contactPage(PROVIDER, {
      organisation: org.profile.Name,
      name: c.Name,
      facts: [
        ['Email', c.EmailAddress ?? ''],
        ['Contact number', c.ContactNumber ?? ''],
        ['Status', c.ContactStatus],
      ],
      invoices: invoiceRows(org, id),
    })
  }
  return notFoundPage(PROVIDER, 'such page')
}

export function pageRoutes(ctx: XeroContext) {
  const app = new Hono()
  const all = () => [...ctx.organisations.values()]
  const here = (c: Context) => resolve(all(), c.req.path, new URL(c.req.url).searchParams)

  app.get(BOOKS_PATH, () =>
    booksPage(PROVIDER, {
      organisations: all().map((o) => ({
        name: o.profile.Name,
        note: `Short code ${o.profile.ShortCode}`,
        invoices: invoiceRows(o),
      })),
    }),
  )
  app.get(PATHS.organisationLogin, (c) => {
    const org = all().find((o) => o.profile.ShortCode === c.req.query('shortcode'))
    if (!org) return notFoundPage(PROVIDER, 'organisation with that short code')
    // The guide writes redirecturl unencoded; either way it is a path on this host.
    const target = c.req.query('redirecturl') ?? ''
    if (!target.startsWith('/') || target.startsWith('//')) return notFoundPage(PROVIDER, 'such page')
    const to = new URL(target, 'http://xero.invalid')
    return resolve([org], to.pathname, to.searchParams)
  })
  app.get(PATHS.invoice, here)
  app.get(PATHS.creditNote, here)
  app.get(`${PATHS.contact}:id`, here)
  return app
}
