import { ProviderError } from '../provider.ts'
import { CONTACTS_PAGE } from '../sync-contract.ts'
import type {
  ContactLookup,
  ContactMatch,
  ContactQuery,
  ProviderAuth,
  ProviderSync,
} from '../sync-contract.ts'
import type { XeroApiClient } from './client.ts'
import { xeroIdempotencyKey } from './client.ts'
import { XERO_FACTS } from './facts.ts'
import { elementError, elementFailed, normaliseName, toXeroContact } from './mappers.ts'
import type { XeroContactRaw } from './wire.ts'
import { ContactsEnvelopeSchema } from './wire.ts'

/** Enough pages of a search to find a match among common words, bounded so a lookup stays cheap. */
const PAGE_SIZE = 100
const MAX_PAGES = 5
const ACTIVE = 'ACTIVE'
/**
 * The `where` of one lookup, before URL encoding: a few kilobytes once encoded, well inside the
 * 8 KB request line common servers and proxies accept, so a page of customers is one request.
 */
const MAX_WHERE_CHARS = 2000
/**
 * More customers than one `where` covers: first read the organisation's whole contact list, one
 * page of this size (summaryOnly: the fields a match needs). A small organisation answers them
 * all in one request; a larger one (more than one page) falls back to the `where` lookups.
 */
const WHOLE_LIST_PAGE = 1000

const longestWord = (name: string) => name.split(' ').reduce((a, b) => (b.length > a.length ? b : a))

/** The clauses that find one customer's candidates: our reference, the email, a word of the name. */
function clauses(q: ContactQuery): string[] {
  const out = [`ContactNumber==${JSON.stringify(q.reference)}`]
  const email = q.email?.trim().toLowerCase()
  // Xero's filters run against its objects: a contact without an email must not reach .Contains.
  if (email) out.push(`EmailAddress!=null AND EmailAddress.Contains(${JSON.stringify(email)})`)
  const name = normaliseName(q.name)
  // The longest word, not the whole name: a contact saved as "Acme  Ltd" still turns up.
  if (name) out.push(`Name.Contains(${JSON.stringify(longestWord(name))})`)
  return out
}

/** Queries grouped so each group's `where` (clauses joined by OR) stays under MAX_WHERE_CHARS. */
function chunks(queries: ContactQuery[]): ContactQuery[][] {
  const out: ContactQuery[][] = []
  let current: ContactQuery[] = []
  let length = 0
  for (const q of queries) {
    const size = clauses(q).join(' OR ').length + 4
    if (current.length > 0 && length + size > MAX_WHERE_CHARS) {
      out.push(current)
      current = []
      length = 0
    }
    current.push(q)
    length += size
  }
  if (current.length > 0) out.push(current)
  return out
}

const match = (c: XeroContactRaw, matchedBy: ContactMatch['matchedBy']): ContactMatch => ({
  id: c.ContactID ?? '',
  version: null,
  name: c.Name ?? '',
  email: c.EmailAddress ?? null,
  matchedBy,
})

/** One query's answer among the candidates: by reference, then email, then normalised name. */
function pick(q: ContactQuery, candidates: XeroContactRaw[]): ContactLookup {
  const reference = q.reference
  const byReference = candidates.filter((c) => c.ContactNumber === reference)
  const live = byReference.find((c) => c.ContactStatus === ACTIVE)
  if (live) return { reference, ok: true, match: match(live, 'reference') }
  // Archived contacts count for our reference only, to flag them rather than post to them or
  // create a twin (XR-D02).
  const archived = byReference[0]
  if (archived)
    return {
      reference,
      ok: false,
      error: new ProviderError(
        'xero',
        'validation',
        `The Xero contact ${archived.Name ?? ''} (${reference}) is ${archived.ContactStatus}: restore it in Xero or link another contact`,
      ),
    }
  const active = candidates.filter((c) => c.ContactStatus === ACTIVE)
  const email = q.email?.trim().toLowerCase()
  if (email) {
    const hits = active.filter((c) => c.EmailAddress?.trim().toLowerCase() === email)
    if (hits.length > 1)
      return {
        reference,
        ok: false,
        error: new ProviderError(
          'xero',
          'conflict',
          `${hits.length} Xero contacts share the email ${q.email ?? ''} (${hits.map((h) => h.Name).join(', ')}): choose one`,
        ),
      }
    if (hits[0]) return { reference, ok: true, match: match(hits[0], 'email') }
  }
  const name = normaliseName(q.name)
  const byName = name ? active.find((c) => normaliseName(c.Name ?? '') === name) : undefined
  return { reference, ok: true, match: byName ? match(byName, 'name') : null }
}

/**
 * Contacts (CERTIFICATION XR-D02): match before creating, by our reference in ContactNumber, then
 * email, then normalised name, for a page of customers in one request: a `where` of their
 * clauses joined by OR, archived contacts included (for the reference only), compared exactly
 * here. Creation is one PUT of up to a batch with `summarizeErrors=false`, every element checked;
 * an update is the same batch POSTed with each contact's ContactID.
 */
export function createXeroContacts(api: XeroApiClient): ProviderSync['contacts'] {
  // API docs: https://developer.xero.com/documentation/api/accounting/contacts#get-contacts
  async function candidates(auth: ProviderAuth, where: string) {
    const found: XeroContactRaw[] = []
    for (let page = 1; page <= MAX_PAGES; page++) {
      const query = { where, includeArchived: 'true', page, pageSize: PAGE_SIZE }
      const { data } = await api.get(auth, '/Contacts', query, ContactsEnvelopeSchema)
      found.push(...data.Contacts)
      if (!data.pagination || page >= data.pagination.pageCount) return { found, truncated: false }
    }
    return { found, truncated: true }
  }

  /** Every contact of a small organisation (archived too), or null when there is more than a page. */
  async function wholeList(auth: ProviderAuth) {
    const query = { includeArchived: 'true', summaryOnly: 'true', page: 1, pageSize: WHOLE_LIST_PAGE }
    const { data } = await api.get(auth, '/Contacts', query, ContactsEnvelopeSchema)
    return data.pagination && data.pagination.pageCount > 1 ? null : data.Contacts
  }

  return {
    // A provider batch of customers a call: ten fit one `where` (MAX_WHERE_CHARS); more are
    // answered from the whole list when the organisation is small, else a `where` each ten.
    lookupBatch: XERO_FACTS.batchSize,
    async findMany(auth, queries) {
      const groups = chunks(queries)
      if (groups.length > 1) {
        const all = await wholeList(auth)
        if (all) return queries.map((q) => pick(q, all))
      }
      const out: ContactLookup[] = []
      for (const group of groups) {
        const { found, truncated } = await candidates(auth, group.flatMap(clauses).join(' OR '))
        const picked = group.map((q) => pick(q, found))
        // A word many contacts share ran past the pages read: those not matched yet are looked
        // for again by their whole name, so a contact of that name is not missed (and twinned).
        const missed = truncated
          ? group.filter((q, i) => picked[i]!.ok && !picked[i]!.match && normaliseName(q.name))
          : []
        const names = missed.map((q) => `Name.Contains(${JSON.stringify(normaliseName(q.name))})`)
        if (names.length > 0) {
          const again = (await candidates(auth, names.join(' OR '))).found
          for (const q of missed) picked[group.indexOf(q)] = pick(q, [...found, ...again])
        }
        out.push(...picked)
      }
      return out
    },

    async listPage(auth, page) {
      // API docs: https://developer.xero.com/documentation/api/accounting/contacts#get-contacts
      const query = { page, pageSize: CONTACTS_PAGE, summaryOnly: 'true' }
      const { data } = await api.get(auth, '/Contacts', query, ContactsEnvelopeSchema)
      const contacts = data.Contacts.filter((c) => c.ContactStatus === ACTIVE && c.ContactID).map((c) => ({
        id: c.ContactID!,
        name: c.Name ?? '',
        email: c.EmailAddress?.trim() || null,
        reference: c.ContactNumber?.trim() || null,
      }))
      const hasMore = data.pagination
        ? page < data.pagination.pageCount
        : data.Contacts.length === CONTACTS_PAGE
      return { contacts, hasMore }
    },

    async upsertMany(auth, contacts, idempotencyKey) {
      const size = XERO_FACTS.batchSize
      const out = []
      for (let start = 0; start < contacts.length; start += size) {
        const chunk = contacts.slice(start, start + size)
        // PUT only creates; POST creates or updates, an element with a ContactID being an update.
        // API docs: https://developer.xero.com/documentation/api/accounting/contacts#put-contacts
        // API docs: https://developer.xero.com/documentation/api/accounting/contacts#post-contacts
        const { data, correlationId } = await api.write(
          auth,
          chunk.some((c) => c.existing) ? 'POST' : 'PUT',
          '/Contacts',
          { summarizeErrors: false },
          { Contacts: chunk.map(toXeroContact) },
          xeroIdempotencyKey(idempotencyKey, `contacts.${start / size}`),
          ContactsEnvelopeSchema,
        )
        // Elements answer in the order sent (summarizeErrors=false, PROVIDERS 1.6).
        out.push(
          ...chunk.map((contact, i) => {
            const element = data.Contacts[i]
            if (!element)
              return {
                reference: contact.reference,
                ok: false as const,
                error: new ProviderError('xero', 'transient', 'Xero answered no element for this contact', {
                  correlationId,
                }),
              }
            if (elementFailed(element) || !element.ContactID)
              return {
                reference: contact.reference,
                ok: false as const,
                error: elementError(element, correlationId),
              }
            return {
              reference: contact.reference,
              ok: true as const,
              contact: { id: element.ContactID, version: null },
            }
          }),
        )
      }
      return out
    },
  }
}
