import { z } from 'zod'
import { createChangeList, isoSecond } from '../change-feed.ts'
import type { ProviderChange, ProviderSync } from '../sync-contract.ts'
import type { Query, SageApi } from './api.ts'

const Timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date-time')

/** A record changed, as `attributes=updated_at[,status]` shows it (besides id, displayed_as, $path). */
const UpdatedRaw = z.looseObject({
  id: z.string(),
  updated_at: Timestamp,
  status: z.looseObject({ id: z.string() }).nullish(),
})

/** A record deleted, as `deleted_since` lists it: its id and when it went. */
const DeletedRaw = z.looseObject({ id: z.string(), deleted_at: Timestamp })

/**
 * What a pass reads, payments first: a receipt recorded or deleted also moves its invoice's
 * `updated_at`, which the invoice reads after it then show.
 */
const FEEDS: { entity: ProviderChange['entity']; path: string; updated: Query }[] = [
  {
    entity: 'payment',
    // Customer receipts only: supplier payments and refunds are contact_payments too.
    path: '/contact_payments',
    updated: { attributes: 'updated_at', transaction_type_id: 'CUSTOMER_RECEIPT' },
  },
  // `status`, so a voided invoice (status VOID) is told apart.
  { entity: 'invoice', path: '/sales_invoices', updated: { attributes: 'updated_at,status' } },
]

/**
 * The polling backstop's feed (PROVIDERS 3.2; CERTIFICATION SG-07): Sage sends no webhooks, so each
 * pass lists `/contact_payments` and `/sales_invoices` with `updated_or_created_since` (records
 * created or changed, inclusive) and again with `deleted_since` (records deleted, exclusive), each
 * followed through `$next` to the end: four requests when nothing changed. Sage keeps timestamps
 * to the second, so both are asked to the second, `deleted_since` a second before the cursor:
 * both then take the cursor's own second, and a deletion in the same second as the last change
 * seen is not lost (the changes of that second are listed again, the same change, the same
 * changedAt). Deleted supplier payments are listed too (a deletion names no type; the engine
 * ignores a payment it does not know). A voided invoice is `deleted`.
 */
export function createSageChanges(api: SageApi): ProviderSync['changes'] {
  return {
    callsPerPass: FEEDS.length * 2,

    async since(auth, cursor, from) {
      const list = createChangeList(cursor ?? from)
      const updatedSince = isoSecond(list.startMs)
      const deletedSince = isoSecond(list.startMs - 1000)
      for (const feed of FEEDS) {
        // API docs: https://developer.sage.com/accounting/reference/payments/#tag/Contact-Payments/operation/getContactPayments
        // API docs: https://developer.sage.com/accounting/reference/invoicing-sales/#tag/Sales-Invoices/operation/getSalesInvoices
        const updated = { ...feed.updated, updated_or_created_since: updatedSince }
        for await (const page of api.pages(auth, feed.path, updated, UpdatedRaw))
          for (const r of page)
            list.add({
              entity: feed.entity,
              id: r.id,
              changedAt: new Date(r.updated_at).toISOString(),
              deleted: r.status?.id === 'VOID',
            })
        for await (const page of api.pages(auth, feed.path, { deleted_since: deletedSince }, DeletedRaw))
          for (const r of page)
            list.add({
              entity: feed.entity,
              id: r.id,
              changedAt: new Date(r.deleted_at).toISOString(),
              deleted: true,
            })
      }
      return list.feed()
    },
  }
}
