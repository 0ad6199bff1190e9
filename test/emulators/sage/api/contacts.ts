import { Hono } from 'hono'
import { recordInvalid, recordNotFound } from '../errors.ts'
import type { SageState } from '../state.ts'
import type { Business, Contact } from '../types.ts'
import { contactPath, webLinks, webOrigin } from '../web.ts'
import { newId, ref, timestamp } from '../wire.ts'
import type { ApiEnv } from './env.ts'
import { listPage } from './listing.ts'
import { liveContact, usableCurrency } from './lookups.ts'
import { checkParams, num, readRoot, str, throwIfProblems, type ParamSpec } from './params.ts'

const CONTACT_TYPES: Record<string, string> = { CUSTOMER: 'Customer', VENDOR: 'Supplier' }

const SPEC: ParamSpec = {
  name: { kind: 'string', required: true },
  contact_type_ids: { kind: 'array', required: true },
  reference: { kind: 'string' },
  email: { kind: 'string' },
  tax_number: { kind: 'string' },
  notes: { kind: 'string' },
  currency_id: { kind: 'string' },
  credit_days: { kind: 'number' },
  source_guid: { kind: 'string' },
  main_address: { kind: 'object' },
  main_contact_person: { kind: 'object' },
}

/** `web`: the origin its `links` name. */
export function renderContact(business: Business, c: Contact, web: string): Record<string, unknown> {
  const hasTransactions = [...business.artefacts.values()].some((a) => a.contactId === c.id)
  return {
    id: c.id,
    displayed_as: `${c.name} (${c.reference})`,
    $path: `/contacts/${c.id}`,
    created_at: timestamp(c.createdAt),
    updated_at: timestamp(c.updatedAt),
    links: webLinks(web, contactPath(c)),
    contact_types: c.contactTypeIds.map((t) => ref('contact_types', t, CONTACT_TYPES[t] ?? t)),
    name: c.name,
    reference: c.reference,
    tax_number: c.taxNumber,
    notes: c.notes,
    email: c.email,
    main_contact_person: {
      displayed_as: c.name,
      contact_person_types: [ref('contact_person_types', 'ACCOUNTS', 'Accounts')],
      name: c.name,
      email: c.email,
      telephone: c.telephone,
      is_main_contact: true,
    },
    main_address: c.mainAddress,
    credit_days: c.creditDays,
    source_guid: c.sourceGuid,
    currency: ref('currencies', c.currencyId, c.currencyId),
    balance:
      [...business.artefacts.values()]
        .filter((a) => a.contactId === c.id)
        .reduce((sum, a) => sum + (a.kind === 'sales_invoice' ? 1 : -1) * a.outstandingMinor, 0) / 100,
    deletable: !hasTransactions,
    system: false,
  }
}

/** Sage fills a missing reference from the name; references are unique within a business. */
function uniqueReference(business: Business, name: string): string {
  const stem =
    name
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(0, 6) || 'CONT'
  for (let n = 1; ; n++) {
    const candidate = `${stem}${String(n).padStart(3, '0')}`
    if (![...business.contacts.values()].some((c) => c.reference.toUpperCase() === candidate))
      return candidate
  }
}

function applyContact(business: Business, target: Contact, body: Record<string, unknown>): void {
  const name = str(body.name)?.trim()
  if (name !== undefined && name === '') throw recordInvalid('This field is required.', 'name')
  const types = body.contact_type_ids as unknown[] | undefined
  if (types !== undefined) {
    if (types.length === 0) throw recordInvalid('This field is required.', 'contact_type_ids')
    if (types.some((t) => typeof t !== 'string' || !(t in CONTACT_TYPES))) throw recordNotFound()
  }
  const reference = str(body.reference)?.trim()
  if (reference) {
    const clash = [...business.contacts.values()].some(
      (c) =>
        c.id !== target.id && c.deletedAt === null && c.reference.toUpperCase() === reference.toUpperCase(),
    )
    if (clash) throw recordInvalid('Reference has already been taken.', 'reference')
  }
  const currencyId = str(body.currency_id)
  if (currencyId !== undefined) usableCurrency(business, currencyId)
  if (name !== undefined) target.name = name
  if (types !== undefined) target.contactTypeIds = types as string[]
  target.reference = reference || target.reference || uniqueReference(business, target.name)
  // The contact's `email` is its main contact person's; either field sets it.
  const person = (body.main_contact_person ?? {}) as Record<string, unknown>
  if (body.email !== undefined) target.email = str(body.email) ?? null
  if (person.email !== undefined) target.email = str(person.email) ?? null
  if (person.telephone !== undefined) target.telephone = str(person.telephone) ?? null
  if (body.tax_number !== undefined) target.taxNumber = str(body.tax_number) ?? null
  if (body.notes !== undefined) target.notes = str(body.notes) ?? null
  if (currencyId !== undefined) target.currencyId = currencyId
  if (body.credit_days !== undefined) target.creditDays = num(body.credit_days) ?? null
  if (body.source_guid !== undefined) target.sourceGuid = str(body.source_guid) ?? null
  if (body.main_address !== undefined) target.mainAddress = body.main_address as Record<string, unknown>
}

function found(business: Business, key: string): Contact {
  const contact = liveContact(business, key)
  if (!contact) throw recordNotFound()
  return contact
}

/**
 * /contacts: no uniqueness on name (a repeated create makes a twin), only on reference. `search`
 * matches name or reference (substring), `email` the contact person's address (ContactsApi docs).
 */
export function createContactRoutes(state: SageState) {
  const app = new Hono<ApiEnv>()

  app.get('/contacts', (c) => {
    const business = c.get('business')
    const { contact_type_id: type, search, email } = c.req.query()
    const rows = [...business.contacts.values()].filter(
      (x) =>
        (!type || x.contactTypeIds.includes(type)) &&
        // "filter by the contact person email address": addresses compare case-insensitively.
        (!email || x.email?.toLowerCase() === email.toLowerCase()) &&
        (!search || `${x.name} ${x.reference}`.toLowerCase().includes(search.toLowerCase())),
    )
    return listPage(c, 'contacts', rows, (x) => renderContact(business, x, webOrigin(c)))
  })

  app.get('/contacts/:key', (c) =>
    c.json(renderContact(c.get('business'), found(c.get('business'), c.req.param('key')), webOrigin(c))),
  )

  app.post('/contacts', async (c) => {
    const business = c.get('business')
    const body = await readRoot(c, 'contact')
    throwIfProblems(checkParams(body, 'contact', SPEC))
    const now = state.clock.now()
    const contact: Contact = {
      id: newId(),
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      name: '',
      contactTypeIds: [],
      reference: '',
      email: null,
      telephone: null,
      taxNumber: null,
      notes: null,
      currencyId: business.baseCurrencyId,
      creditDays: null,
      sourceGuid: null,
      mainAddress: null,
    }
    applyContact(business, contact, body)
    business.contacts.set(contact.id, contact)
    return c.json(renderContact(business, contact, webOrigin(c)), 201)
  })

  app.put('/contacts/:key', async (c) => {
    const business = c.get('business')
    const contact = found(business, c.req.param('key'))
    const body = await readRoot(c, 'contact')
    throwIfProblems(checkParams(body, 'contact', SPEC, false))
    const draft = { ...contact }
    applyContact(business, draft, body)
    Object.assign(contact, draft, { updatedAt: state.clock.now() })
    return c.json(renderContact(business, contact, webOrigin(c)))
  })

  app.delete('/contacts/:key', (c) => {
    const business = c.get('business')
    const contact = found(business, c.req.param('key'))
    if (renderContact(business, contact, webOrigin(c)).deletable === false)
      throw recordInvalid('The contact cannot be deleted because it has transactions.', 'base')
    contact.deletedAt = state.clock.now()
    return c.body(null, 204)
  })

  return app
}
