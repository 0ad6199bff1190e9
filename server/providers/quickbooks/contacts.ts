import { z } from 'zod'
import type { ContactInput, ContactMatch, ProviderAuth, ProviderRef } from '../sync-contract.ts'
import type { CompanyApi } from './company.ts'
import { fromQboCustomer, normaliseName, toQboCustomer } from './mappers.ts'
import { queryAll, quote, realmAuth, requestIdFor } from './queries.ts'
import { CustomerRawSchema } from './wire.ts'

/** A single write's requestid is at most 50 characters (PROVIDERS 2.5). */
export const SINGLE_REQUEST_ID_MAX = 50

/**
 * Customers. QBO has no field for another system's id that its API can search (AcctNum is desktop
 * only; Notes is not queryable), so there is no reference step: the engine keeps the Customer Id it
 * is given, and the lookup goes by email, then by normalised DisplayName. Inactive customers are
 * left out, as QBO's name lists leave them out by default (and rename them "… (deleted)").
 */
export function createQuickBooksContacts(company: CompanyApi) {
  const customers = (auth: ProviderAuth, where: string) =>
    queryAll(company, auth, 'Customer', where, CustomerRawSchema)

  return {
    async find(
      auth: ProviderAuth,
      query: { reference: string; email: string | null; name: string },
    ): Promise<ContactMatch | null> {
      const email = query.email?.trim().toLowerCase()
      if (email) {
        // LIKE without wildcards: QBO's email match, whatever the case the address was typed in.
        const found = (await customers(auth, `PrimaryEmailAddr LIKE ${quote(email)}`)).find(
          (c) => c.PrimaryEmailAddr?.Address?.trim().toLowerCase() === email,
        )
        if (found) return fromQboCustomer(found, 'email')
      }
      const name = normaliseName(query.name)
      if (!name) return null
      // Each word in order with anything between: QBO's LIKE cannot collapse spaces, so we do.
      const pattern = `%${name.split(' ').join('%')}%`
      const found = (await customers(auth, `DisplayName LIKE ${quote(pattern)}`)).find(
        (c) => normaliseName(c.DisplayName) === name,
      )
      return found ? fromQboCustomer(found, 'name') : null
    },

    async create(auth: ProviderAuth, contact: ContactInput, idempotencyKey: string): Promise<ProviderRef> {
      // API docs: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#create-a-customer
      const { body } = await company.call(
        realmAuth(auth),
        'customer',
        z.object({ Customer: CustomerRawSchema }),
        {
          body: toQboCustomer(contact),
          requestId: requestIdFor(idempotencyKey, SINGLE_REQUEST_ID_MAX),
        },
      )
      return { id: body.Customer.Id, version: body.Customer.SyncToken }
    },
  }
}
