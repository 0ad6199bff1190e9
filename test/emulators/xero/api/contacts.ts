import { Hono } from 'hono'
import type { XeroContext } from '../context.ts'
import type { ContactInput } from '../domain/contacts.ts'
import { renderContact, saveContact } from '../domain/contacts.ts'
import { runBatch } from './batch.ts'
import type { ApiEnv } from './env.ts'
import { notFound } from './errors.ts'
import { listRecords } from './list.ts'
import { collection, domainDeps, firstOf } from './respond.ts'

/** /Contacts ([spec] getContacts, createContacts, updateOrCreateContacts, getContact, updateContact). */
export function contactRoutes(ctx: XeroContext) {
  const app = new Hono<ApiEnv>()

  app.get('/Contacts', (c) => {
    const q = c.var.query
    const ids = q.IDs as string[] | undefined
    const term = (q.searchTerm as string | undefined)?.toLowerCase()
    const records = [...c.var.org.contacts.values()].filter(
      (r) =>
        (q.includeArchived === true || r.ContactStatus !== 'ARCHIVED') &&
        (!ids || ids.some((id) => id.toLowerCase() === r.ContactID)) &&
        // "a case-insensitive text search across the Name, FirstName, LastName, ContactNumber and
        // EmailAddress fields" ([spec] getContacts searchTerm)
        (!term ||
          [r.Name, r.FirstName, r.LastName, r.ContactNumber, r.EmailAddress].some((f) =>
            f?.toLowerCase().includes(term),
          )),
    )
    const listed = listRecords(c, records, {
      updatedAt: (r) => r.UpdatedDateUTC,
      view: (r) => ({ ...r }),
      pageable: true,
    })
    if (listed instanceof Response) return listed
    const summary = q.summaryOnly === true
    return collection(
      c,
      'Contacts',
      listed.items.map((r) => renderContact(r, summary)),
      listed.pagination,
    )
  })

  for (const method of ['put', 'post'] as const) {
    app[method]('/Contacts', (c) => {
      const deps = domainDeps(ctx, c)
      const mode = method === 'put' ? 'create' : 'upsert'
      return runBatch(
        c,
        'Contacts',
        firstOf<ContactInput>(c, 'Contacts'),
        (i) => saveContact(deps, i, mode),
        (r) => renderContact(r),
      )
    })
  }

  const find = (org: ApiEnv['Variables']['org'], key: string) =>
    org.contacts.get(key) ?? [...org.contacts.values()].find((r) => r.ContactNumber === key)

  app.get('/Contacts/:key', (c) => {
    const record = find(c.var.org, c.req.param('key'))
    return record ? collection(c, 'Contacts', [renderContact(record)]) : notFound(c)
  })

  app.post('/Contacts/:key', (c) => {
    const record = find(c.var.org, c.req.param('key'))
    if (!record) return notFound(c)
    const deps = domainDeps(ctx, c)
    const inputs = firstOf<ContactInput>(c, 'Contacts').map((i) => ({ ...i, ContactID: record.ContactID }))
    return runBatch(
      c,
      'Contacts',
      inputs.slice(0, 1),
      (i) => saveContact(deps, i, 'upsert'),
      (r) => renderContact(r),
    )
  })

  return app
}
