import { Hono } from 'hono'
import type { DocumentView, InvoiceRow } from '../common/pages.ts'
import { BOOKS_PATH, money, notFoundPage } from '../common/html.ts'
import { booksPage, contactPage, documentPage } from '../common/pages.ts'
import { fromMinor } from './money.ts'
import { STATUS_NAMES } from './api/artefact-kinds.ts'
import type { SageState } from './state.ts'
import type { Artefact, ArtefactKind, Business } from './types.ts'
import { artefactPath, contactPath, WEB_PATHS } from './web.ts'

/**
 * The pages of Sage's web app that the API's `links` point at (web.ts): a sales invoice, a sales
 * credit note, a contact, and a books page listing each business's invoices. Those addresses name
 * no business: the page is the one business's that holds the id. Read-only, no sign-in (loopback).
 */
const PROVIDER = 'Sage Accounting'
const m = (minor: number, currency: string) => money(fromMinor(minor), currency)

function documentView(business: Business, a: Artefact): DocumentView {
  const invoice = a.kind === 'sales_invoice'
  const contact = business.contacts.get(a.contactId)
  const cur = a.currencyId
  const live = [...business.settlements.values()].filter((s) => s.deletedAt === null)
  const payments: DocumentView['payments'] = []
  const allocations: DocumentView['allocations'] = []
  for (const s of live) {
    const mine = s.allocations.find((x) => x.artefactId === a.id)
    if (!mine) continue
    if (s.kind === 'contact_payment') {
      payments.push({
        date: s.date,
        reference: s.reference ?? '',
        amount: m(Math.abs(mine.amountMinor), cur),
      })
      continue
    }
    for (const x of s.allocations) {
      const other = business.artefacts.get(x.artefactId)
      if (!other || other.id === a.id || other.kind === a.kind) continue
      allocations.push({
        date: s.date,
        document: { text: other.number, href: artefactPath(other.kind, other.id) },
        amount: m(Math.abs(mine.amountMinor), cur),
      })
    }
  }
  return {
    kind: invoice ? 'Invoice' : 'Credit note',
    organisation: business.name,
    number: a.number,
    status: STATUS_NAMES[a.status],
    contact: { text: contact?.name ?? '', href: contact ? contactPath(contact) : null },
    facts: [
      ['Date', a.date],
      ...(invoice ? ([['Due date', a.dueDate ?? '']] as [string, string][]) : []),
      ['Reference', a.reference ?? ''],
      ['Notes', a.notes ?? ''],
    ],
    lines: a.lines.map((l) => ({
      description: l.description,
      quantity: String(l.quantity),
      unitPrice: money(l.unitPrice, cur),
      tax: m(l.taxMinor, cur),
      amount: m(l.netMinor, cur),
    })),
    totals: [
      ['Net', m(a.netMinor, cur)],
      ['VAT', m(a.taxMinor, cur)],
      ['Total', m(a.totalMinor, cur)],
      [invoice ? 'Paid' : 'Allocated', m(a.totalMinor - a.outstandingMinor, cur)],
      [invoice ? 'Outstanding' : 'Remaining credit', m(a.outstandingMinor, cur)],
    ],
    payments,
    allocations,
  }
}

function invoiceRows(business: Business, contactId?: string): InvoiceRow[] {
  return [...business.artefacts.values()]
    .filter(
      (a) => a.kind === 'sales_invoice' && a.deletedAt === null && (!contactId || a.contactId === contactId),
    )
    .reverse() // newest first: the business keeps them in the order they were made
    .map((a) => ({
      number: { text: a.number, href: artefactPath(a.kind, a.id) },
      contact: business.contacts.get(a.contactId)?.name ?? '',
      date: a.date,
      total: m(a.totalMinor, a.currencyId),
      due: m(a.outstandingMinor, a.currencyId),
      status: STATUS_NAMES[a.status],
    }))
}

export function pageRoutes(state: SageState) {
  const app = new Hono()
  const businesses = () => [...state.businesses.values()]

  const artefact = (kind: ArtefactKind, what: string) => (id: string) => {
    for (const b of businesses()) {
      const a = b.artefacts.get(id)
      if (a && a.kind === kind && a.deletedAt === null) return documentPage(PROVIDER, documentView(b, a))
    }
    return notFoundPage(PROVIDER, `such ${what}`)
  }
  const invoice = artefact('sales_invoice', 'sales invoice')
  const creditNote = artefact('sales_credit_note', 'sales credit note')
  const contact = (id: string) => {
    for (const b of businesses()) {
      const c = b.contacts.get(id)
      if (!c || c.deletedAt !== null) continue
      return contactPage(PROVIDER, {
        organisation: b.name,
        name: c.name,
        facts: [
          ['Reference', c.reference],
          ['Email', c.email ?? ''],
          ['Telephone', c.telephone ?? ''],
        ],
        invoices: invoiceRows(b, c.id),
      })
    }
    return notFoundPage(PROVIDER, 'such contact')
  }

  app.get(BOOKS_PATH, () =>
    booksPage(PROVIDER, {
      organisations: businesses().map((b) => ({
        name: b.name,
        note: `Business ${b.id}`,
        invoices: invoiceRows(b),
      })),
    }),
  )
  app.get(`${WEB_PATHS.sales_invoice}:id`, (c) => invoice(c.req.param('id')))
  app.get(`${WEB_PATHS.sales_credit_note}:id`, (c) => creditNote(c.req.param('id')))
  app.get(`${WEB_PATHS.customer}:id`, (c) => contact(c.req.param('id')))
  app.get(`${WEB_PATHS.supplier}:id`, (c) => contact(c.req.param('id')))
  return app
}
