import { ProviderError } from '../provider.ts'
import { CONTACTS_PAGE } from '../sync-contract.ts'
import type {
  ContactInput,
  ContactItemResult,
  ContactLookup,
  ContactMatch,
  ContactQuery,
  ProviderAuth,
  ProviderSync,
} from '../sync-contract.ts'
import type { SageApi } from './api.ts'
import { fromSageContact, toSageContact, webLinkOf } from './mappers.ts'
import { SageContactRaw } from './wire.ts'

/** Trim, collapse inner spaces, ignore case: "ACME  Ltd " is "Acme Ltd". */
export const normaliseName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase()

/**
 * Finding a customer before creating one, since Sage has no idempotency key (PROVIDERS 3.4) and
 * takes a second contact of the same name without complaint. GET /contacts can filter by
 * `search` (name or reference, a substring) and by `email` (the contact person's address); the
 * exact match is ours. Two contacts matching the same way is for the bookkeeper to settle
 * (CERTIFICATION XR-D02's "let the user choose"), so it answers 'conflict' rather than a guess.
 * Sage has no batch endpoint (PROVIDERS 3.3): many customers are created one by one, each with its
 * own answer, and looked up from one read of the business's customer list when it fits a page (the
 * same exact matches, made here), else one by one.
 */
export function createSageContacts(api: SageApi): ProviderSync['contacts'] {
  const CUSTOMERS = { contact_type_id: 'CUSTOMER', attributes: 'all' }
  // API docs: https://developer.sage.com/accounting/reference/contacts/#tag/Contacts/operation/getContacts
  const customers = (auth: ProviderAuth, filter: Record<string, string>) =>
    api.all(auth, '/contacts', { ...CUSTOMERS, ...filter }, SageContactRaw)

  /** Every customer of a business that has no more than one page of them (200), else null. */
  async function wholeList(auth: ProviderAuth) {
    const { items, more } = await api.onePage(auth, '/contacts', CUSTOMERS, SageContactRaw)
    return more ? null : items
  }

  function one(
    rows: SageContactRaw[],
    matchedBy: ContactMatch['matchedBy'],
    what: string,
  ): ContactMatch | null {
    if (rows.length > 1)
      throw new ProviderError(
        'sage',
        'conflict',
        `${rows.length} Sage customers have the ${matchedBy} ${what}: choose one to link`,
      )
    const found = rows[0]
    if (!found) return null
    const c = fromSageContact(found)
    return { id: c.id, url: c.url, name: c.name, email: c.email, matchedBy }
  }

  /** Candidates for one way of matching: Sage's own filter, or the whole list read once. */
  type Candidates = (filter: Record<string, string>) => Promise<SageContactRaw[]>

  async function find(candidates: Candidates, query: ContactQuery): Promise<ContactMatch | null> {
    const reference = query.reference.trim()
    if (reference) {
      const rows = await candidates({ search: reference })
      const exact = rows.filter((r) => r.reference?.toLowerCase() === reference.toLowerCase())
      const match = one(exact, 'reference', reference)
      if (match) return match
    }
    const email = query.email?.trim()
    if (email) {
      const rows = await candidates({ email })
      const exact = rows.filter((r) => fromSageContact(r).email?.toLowerCase() === email.toLowerCase())
      const match = one(exact, 'email', email)
      if (match) return match
    }
    const name = normaliseName(query.name)
    if (!name) return null
    // Search by the longest word: a stored name with other spacing still contains it.
    const word = name.split(' ').reduce((a, b) => (b.length > a.length ? b : a))
    const rows = await candidates({ search: word })
    return one(
      rows.filter((r) => normaliseName(r.name ?? '') === name),
      'name',
      query.name.trim(),
    )
  }

  /** Sage's own refusal of one item is that item's answer; anything else (a 429, a reset) stops the run. */
  const itemError = (err: unknown) => {
    if (err instanceof ProviderError && ['validation', 'conflict', 'not_found'].includes(err.kind)) return err
    throw err
  }

  return {
    // A small business's customers come from one read of its list; a larger one's are searched, up
    // to three requests a customer, so a batch stays well inside a minute's 100.
    lookupBatch: 20,
    async findMany(auth, queries) {
      const all = queries.length > 1 ? await wholeList(auth) : null
      const candidates: Candidates = all ? () => Promise.resolve(all) : (filter) => customers(auth, filter)
      const out: ContactLookup[] = []
      for (const q of queries) {
        try {
          out.push({ reference: q.reference, ok: true, match: await find(candidates, q) })
        } catch (err) {
          out.push({ reference: q.reference, ok: false, error: itemError(err) })
        }
      }
      return out
    },

    /**
     * No idempotency at Sage: the engine looks up (findMany) before it creates again; an update
     * (PUT /contacts/{id}) sets the same fields twice harmlessly.
     */
    async listPage(auth, page) {
      const query = { ...CUSTOMERS, page: String(page), items_per_page: String(CONTACTS_PAGE) }
      // API docs: https://developer.sage.com/accounting/reference/contacts/#tag/Contacts/operation/getContacts
      const { items, more } = await api.onePage(auth, '/contacts', query, SageContactRaw)
      const contacts = items.map((raw) => {
        const c = fromSageContact(raw)
        return { id: c.id, name: c.name, email: c.email, reference: raw.reference?.trim() || null }
      })
      return { contacts, hasMore: more }
    },

    async upsertMany(auth, contacts: ContactInput[]) {
      const out: ContactItemResult[] = []
      for (const contact of contacts) {
        try {
          const body = toSageContact(contact)
          const raw = contact.existing
            ? // API docs: https://developer.sage.com/accounting/reference/contacts/#tag/Contacts/operation/putContactsKey
              await api.write(
                auth,
                'PUT',
                `/contacts/${encodeURIComponent(contact.existing.id)}`,
                body,
                SageContactRaw,
              )
            : // API docs: https://developer.sage.com/accounting/reference/contacts/#tag/Contacts/operation/postContacts
              await api.write(auth, 'POST', '/contacts', body, SageContactRaw)
          out.push({ reference: contact.reference, ok: true, contact: { id: raw.id, url: webLinkOf(raw) } })
        } catch (err) {
          out.push({ reference: contact.reference, ok: false, error: itemError(err) })
        }
      }
      return out
    },
  }
}
