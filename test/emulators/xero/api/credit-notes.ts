import { Hono } from 'hono'
import type { XeroContext } from '../context.ts'
import type { AllocationInput, CreditNoteInput } from '../domain/credit-notes.ts'
import { allocateCreditNote, saveCreditNote } from '../domain/credit-notes.ts'
import { renderCreditNote } from '../domain/render.ts'
import { documentDate } from '../domain/wire.ts'
import { runBatch } from './batch.ts'
import type { ApiEnv } from './env.ts'
import { notFound } from './errors.ts'
import { listRecords } from './list.ts'
import { collection, domainDeps, firstOf, unitdpOf } from './respond.ts'

/** /CreditNotes and their Allocations ([spec] getCreditNotes, createCreditNotes, createCreditNoteAllocation). */
export function creditNoteRoutes(ctx: XeroContext) {
  const app = new Hono<ApiEnv>()

  app.get('/CreditNotes', (c) => {
    const org = c.var.org
    const listed = listRecords(c, [...org.creditNotes.values()], {
      updatedAt: (r) => r.UpdatedDateUTC,
      view: (r) => ({ ...r, Contact: { ContactID: r.ContactID } }),
      pageable: true,
    })
    if (listed instanceof Response) return listed
    const items = listed.items.map((r) => renderCreditNote(org, r, listed.pagination !== undefined))
    return collection(c, 'CreditNotes', items, listed.pagination)
  })

  for (const method of ['put', 'post'] as const) {
    app[method]('/CreditNotes', (c) => {
      const deps = domainDeps(ctx, c)
      const inputs = firstOf<CreditNoteInput>(c, 'CreditNotes')
      // PUT only creates: an id in a PUT body is not a reference to an existing note.
      const normalised = method === 'put' ? inputs.map(({ CreditNoteID: _, ...rest }) => rest) : inputs
      return runBatch(
        c,
        'CreditNotes',
        normalised,
        (i) => saveCreditNote(deps, i, unitdpOf(c)),
        (r) => renderCreditNote(c.var.org, r),
      )
    })
  }

  app.get('/CreditNotes/:id', (c) => {
    const record = c.var.org.creditNotes.get(c.req.param('id'))
    return record ? collection(c, 'CreditNotes', [renderCreditNote(c.var.org, record)]) : notFound(c)
  })

  app.put('/CreditNotes/:id/Allocations', (c) => {
    const record = c.var.org.creditNotes.get(c.req.param('id'))
    if (!record) return notFound(c)
    const deps = domainDeps(ctx, c)
    return runBatch(
      c,
      'Allocations',
      firstOf<AllocationInput>(c, 'Allocations'),
      (i) => allocateCreditNote(deps, record, i),
      (a) => ({
        AllocationID: a.AllocationID,
        Amount: a.Amount,
        Date: documentDate(a.Date).date,
        Invoice: { InvoiceID: a.InvoiceID },
        CreditNote: { CreditNoteID: record.CreditNoteID },
      }),
    )
  })

  return app
}
