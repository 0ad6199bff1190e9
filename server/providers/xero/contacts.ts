import { ProviderError } from '../provider.ts'
import type { ContactMatch, ProviderSync } from '../sync-contract.ts'
import type { XeroApiClient } from './client.ts'
import { xeroIdempotencyKey } from './client.ts'
import { elementError, elementFailed, normaliseName, toXeroContact } from './mappers.ts'
import type { XeroContactRaw } from './wire.ts'
import { ContactsEnvelopeSchema } from './wire.ts'

/** Enough pages of a search to find a match among common words, bounded so a lookup stays cheap. */
const PAGE_SIZE = 100
const MAX_PAGES = 5
const ACTIVE = 'ACTIVE'

/**
 * Contacts (CERTIFICATION XR-D02): match before creating, by our reference in ContactNumber, then
 * email, then normalised name. Email and name go through `searchTerm`, which Xero documents as
 * "a case-insensitive text search across the Name, FirstName, LastName, ContactNumber and
 * EmailAddress fields" ([spec] getContacts), and the hits are compared exactly here.
 */
export function createXeroContacts(api: XeroApiClient): ProviderSync['contacts'] {
  // API docs: https://developer.xero.com/documentation/api/accounting/contacts#get-contacts
  async function search(
    auth: Parameters<ProviderSync['contacts']['find']>[0],
    query: Record<string, string>,
  ) {
    const found: XeroContactRaw[] = []
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await api.get(
        auth,
        '/Contacts',
        { ...query, page, pageSize: PAGE_SIZE },
        ContactsEnvelopeSchema,
      )
      found.push(...data.Contacts)
      if (!data.pagination || page >= data.pagination.pageCount) break
    }
    return found
  }

  const match = (c: XeroContactRaw, matchedBy: ContactMatch['matchedBy']): ContactMatch => ({
    id: c.ContactID ?? '',
    version: null,
    name: c.Name ?? '',
    email: c.EmailAddress ?? null,
    matchedBy,
  })

  return {
    async find(auth, q) {
      // Archived contacts are looked at for our reference only, to flag them rather than post to
      // them or create a twin (XR-D02); Xero's searches leave them out by default.
      const byReference = (
        await search(auth, {
          where: `ContactNumber==${JSON.stringify(q.reference)}`,
          includeArchived: 'true',
        })
      ).filter((c) => c.ContactNumber === q.reference)
      const live = byReference.find((c) => c.ContactStatus === ACTIVE)
      if (live) return match(live, 'reference')
      if (byReference[0]) {
        throw new ProviderError(
          'xero',
          'validation',
          `The Xero contact ${byReference[0].Name ?? ''} (${q.reference}) is ${byReference[0].ContactStatus}: restore it in Xero or link another contact`,
        )
      }

      if (q.email) {
        const email = q.email.trim().toLowerCase()
        const hits = (await search(auth, { searchTerm: email })).filter(
          (c) => c.ContactStatus === ACTIVE && c.EmailAddress?.trim().toLowerCase() === email,
        )
        if (hits.length > 1) {
          throw new ProviderError(
            'xero',
            'conflict',
            `${hits.length} Xero contacts share the email ${q.email} (${hits.map((h) => h.Name).join(', ')}): choose one`,
          )
        }
        if (hits[0]) return match(hits[0], 'email')
      }

      const name = normaliseName(q.name)
      if (!name) return null
      // The longest word, not the whole name: a contact saved as "Acme  Ltd" still turns up.
      const word = name.split(' ').reduce((a, b) => (b.length > a.length ? b : a))
      const byName = (await search(auth, { searchTerm: word })).find(
        (c) => c.ContactStatus === ACTIVE && normaliseName(c.Name ?? '') === name,
      )
      return byName ? match(byName, 'name') : null
    },

    async create(auth, contact, idempotencyKey) {
      // API docs: https://developer.xero.com/documentation/api/accounting/contacts#put-contacts
      const { data, correlationId } = await api.write(
        auth,
        'PUT',
        '/Contacts',
        { summarizeErrors: false },
        { Contacts: [toXeroContact(contact)] },
        xeroIdempotencyKey(idempotencyKey, 'contact'),
        ContactsEnvelopeSchema,
      )
      const element = data.Contacts[0]
      if (!element)
        throw new ProviderError('xero', 'validation', 'Xero answered no contact', { correlationId })
      if (elementFailed(element) || !element.ContactID) throw elementError(element, correlationId)
      return { id: element.ContactID, version: null, url: null }
    },
  }
}
