import { Hono } from 'hono'
import type { XeroContext } from '../context.ts'
import type { InvoiceInput } from '../domain/invoices.ts'
import { findInvoice, saveInvoice } from '../domain/invoices.ts'
import { renderInvoice } from '../domain/render.ts'
import { runBatch } from './batch.ts'
import type { ApiEnv } from './env.ts'
import { notFound } from './errors.ts'
import { listRecords } from './list.ts'
import { collection, domainDeps, firstOf, unitdpOf } from './respond.ts'

const lower = (xs: unknown) => (xs as string[] | undefined)?.map((x) => x.toLowerCase())

/** /Invoices ([spec] getInvoices, createInvoices, updateOrCreateInvoices, getInvoice, updateInvoice). */
export function invoiceRoutes(ctx: XeroContext) {
  const app = new Hono<ApiEnv>()

  app.get('/Invoices', (c) => {
    const q = c.var.query
    const [ids, numbers, contacts, statuses] = [q.IDs, q.InvoiceNumbers, q.ContactIDs, q.Statuses].map(lower)
    const term = (q.searchTerm as string | undefined)?.toLowerCase()
    const org = c.var.org
    const records = [...org.invoices.values()].filter(
      (r) =>
        (!ids || ids.includes(r.InvoiceID)) &&
        (!numbers || numbers.includes(r.InvoiceNumber.toLowerCase())) &&
        (!contacts || contacts.includes(r.ContactID)) &&
        (!statuses || statuses.includes(r.Status.toLowerCase())) &&
        (!term || [r.InvoiceNumber, r.Reference].some((f) => f?.toLowerCase().includes(term))),
    )
    const listed = listRecords(c, records, {
      updatedAt: (r) => r.UpdatedDateUTC,
      view: (r) => ({ ...r, Contact: { ContactID: r.ContactID, Name: org.contacts.get(r.ContactID)?.Name } }),
      pageable: true,
    })
    if (listed instanceof Response) return listed
    // Unpaged and summary lists leave line items out (PROVIDERS 1.9).
    const withLines = listed.pagination !== undefined && q.summaryOnly !== true
    const items = listed.items.map((r) => renderInvoice(org, r, withLines))
    return collection(c, 'Invoices', items, listed.pagination)
  })

  for (const method of ['put', 'post'] as const) {
    app[method]('/Invoices', (c) => {
      const deps = domainDeps(ctx, c)
      const kind = method === 'put' ? 'create' : 'upsert'
      return runBatch(
        c,
        'Invoices',
        firstOf<InvoiceInput>(c, 'Invoices'),
        (i) => saveInvoice(deps, i, { kind }, unitdpOf(c)),
        (r) => renderInvoice(c.var.org, r, true),
      )
    })
  }

  app.get('/Invoices/:key', (c) => {
    const record = findInvoice(c.var.org, c.req.param('key'))
    return record ? collection(c, 'Invoices', [renderInvoice(c.var.org, record, true)]) : notFound(c)
  })

  app.post('/Invoices/:key', (c) => {
    const target = findInvoice(c.var.org, c.req.param('key'))
    if (!target) return notFound(c)
    const deps = domainDeps(ctx, c)
    return runBatch(
      c,
      'Invoices',
      firstOf<InvoiceInput>(c, 'Invoices').slice(0, 1),
      (i) => saveInvoice(deps, i, { kind: 'update', target }, unitdpOf(c)),
      (r) => renderInvoice(c.var.org, r, true),
    )
  })

  return app
}
