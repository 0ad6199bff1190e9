import { z } from 'zod'
import { CONTACTS_PAGE, type ContactLookup, type ContactQuery, type ProviderAuth } from '../sync-contract.ts'
import type { CompanyApi } from './company.ts'
import { createBatch, createCustomerWrites } from './customer-writes.ts'
import { QUICKBOOKS_FACTS } from './facts.ts'
import { fromQboCustomer, normaliseName } from './mappers.ts'
import { QUERY_PAGE, quote, realmAuth } from './queries.ts'
import { CustomerRawSchema, type QboCustomerRaw } from './wire.ts'
const QueryAnswerSchema = z.looseObject({ Customer: z.array(CustomerRawSchema).optional() })
const ListSchema = z.object({ QueryResponse: QueryAnswerSchema })

/** The queries that find one customer: by email (LIKE without wildcards ignores case), then by name. */
function statements(q: ContactQuery): { by: 'email' | 'name'; query: string }[] {
  const out: { by: 'email' | 'name'; query: string }[] = []
  const select = (where: string) => `select * from Customer where ${where} MAXRESULTS ${QUERY_PAGE}`
  const email = q.email?.trim().toLowerCase()
  if (email) out.push({ by: 'email', query: select(`PrimaryEmailAddr LIKE ${quote(email)}`) })
  const name = normaliseName(q.name)
  // Each word in order with anything between: QBO's LIKE cannot collapse spaces, so we do.
  if (name)
    out.push({ by: 'name', query: select(`DisplayName LIKE ${quote(`%${name.split(' ').join('%')}%`)}`) })
  return out
}

/**
 * Customers. QBO has no field for another system's id that its API can search (AcctNum is desktop
 * only; Notes is not queryable), so there is no reference step: the engine keeps the Customer Id it
 * is given, and the lookup goes by email, then by normalised DisplayName. Its query language has no
 * OR, so many customers are found with one `/batch` of query items (two per customer, up to 30
 * items a request, PROVIDERS 2.4), and created or updated with one `/batch` of writes
 * (customer-writes.ts); each item answers with its rows or its own Fault. Every batch item is
 * metered as a call (PROVIDERS 2.4), so more customers than one batch of queries holds are first
 * answered from one read of the company's whole customer list (one call), when it fits one page;
 * a larger company falls back to the queries. Inactive customers are left out, as QBO's name
 * lists leave them out.
 */
export function createQuickBooksContacts(company: CompanyApi) {
  const size = QUICKBOOKS_FACTS.batchSize
  const batch = createBatch(company)

  function pick(q: ContactQuery, by: 'email' | 'name', rows: QboCustomerRaw[]) {
    if (by === 'email') {
      const email = q.email!.trim().toLowerCase()
      return rows.find((c) => c.PrimaryEmailAddr?.Address?.trim().toLowerCase() === email)
    }
    return rows.find((c) => normaliseName(c.DisplayName) === normaliseName(q.name))
  }

  /** Active customers from the `start`th (1-based), at most `max` of them. */
  async function customerRows(auth: ProviderAuth, start: number, max: number) {
    const query = `select * from Customer STARTPOSITION ${start} MAXRESULTS ${max}`
    // API docs: https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
    const { body } = await company.call(realmAuth(auth), 'query', ListSchema, { query: { query } })
    return body.QueryResponse.Customer ?? []
  }

  /** Every active customer of a company that has no more than a page of them, else null. */
  async function wholeList(auth: ProviderAuth) {
    const rows = await customerRows(auth, 1, QUERY_PAGE)
    return rows.length < QUERY_PAGE ? rows : null
  }

  function fromList(q: ContactQuery, rows: QboCustomerRaw[]): ContactLookup {
    const byEmail = q.email?.trim() ? pick(q, 'email', rows) : undefined
    const hit = byEmail ?? pick(q, 'name', rows)
    return {
      reference: q.reference,
      ok: true,
      match: hit ? fromQboCustomer(hit, byEmail ? 'email' : 'name') : null,
    }
  }

  return {
    // A batch of customers a call: up to 15 are queried (two items each, 30 a batch); more are
    // answered from the whole list when the company is small, else queried in two batches.
    lookupBatch: size,
    async findMany(auth: ProviderAuth, queries: ContactQuery[]): Promise<ContactLookup[]> {
      if (queries.length > size / 2) {
        const all = await wholeList(auth)
        if (all) return queries.map((q) => fromList(q, all))
      }
      const items = queries.flatMap((q, i) => statements(q).map((s) => ({ i, ...s, bId: `${s.by[0]!}${i}` })))
      const found = new Map<number, ContactLookup>()
      for (let start = 0; start < items.length; start += size) {
        const chunk = items.slice(start, start + size)
        const answer = await batch(
          auth,
          chunk.map((s) => ({ bId: s.bId, Query: s.query })),
        )
        for (const s of chunk) {
          const q = queries[s.i]!
          const prior = found.get(s.i)
          if (prior && (!prior.ok || prior.match)) continue
          const a = answer(s.bId)
          if (!a.ok) {
            found.set(s.i, { reference: q.reference, ok: false, error: a.error })
            continue
          }
          const rows = QueryAnswerSchema.parse(a.item.QueryResponse ?? {}).Customer ?? []
          const hit = pick(q, s.by, rows)
          found.set(s.i, { reference: q.reference, ok: true, match: hit ? fromQboCustomer(hit, s.by) : null })
        }
      }
      return queries.map((q, i) => found.get(i) ?? { reference: q.reference, ok: true, match: null })
    },

    upsertMany: createCustomerWrites(company, batch),

    async listPage(auth: ProviderAuth, page: number) {
      // One more than a page: whether a next page holds any.
      const rows = await customerRows(auth, (page - 1) * CONTACTS_PAGE + 1, CONTACTS_PAGE + 1)
      const contacts = rows.slice(0, CONTACTS_PAGE).map((c) => ({
        id: c.Id,
        name: c.DisplayName ?? '',
        email: c.PrimaryEmailAddr?.Address?.trim() || null,
        reference: null, // QuickBooks keeps no other system's id on a customer that its API can read back
      }))
      return { contacts, hasMore: rows.length > CONTACTS_PAGE }
    },
  }
}
