import type { z } from 'zod'
import { createChangeList } from '../change-feed.ts'
import type { ProviderChange, ProviderSync } from '../sync-contract.ts'
import type { Query, XeroApiClient } from './client.ts'
import { InvoiceChangesEnvelopeSchema, PaymentChangesEnvelopeSchema } from './wire.ts'

const PAGE_SIZE = 100
/** An invoice voided or deleted, a payment deleted (PROVIDERS 1.8): gone for the sync. */
const GONE = new Set(['DELETED', 'VOIDED'])
/** Sales invoices, and the payments applied to them: bills (ACCPAY) and their payments are not ours. */
const SALES_INVOICE = 'ACCREC'
const SALES_PAYMENT = 'ACCRECPAYMENT'

/** A page of either list: the last page is the one at `pageCount`, or one with no pagination. */
type Paged = { pagination?: { pageCount: number } | null }
/** What the feed reads of an invoice or a payment changed, besides its id and type. */
interface Changed {
  Status?: string | null
  UpdatedDateUTC: string
}

/**
 * The polling backstop's feed (PROVIDERS 1.9; CERTIFICATION XR-D09, XR-R04, XR-R05): GET /Payments
 * and GET /Invoices with `If-Modified-Since`, each paged to the end (a pass with nothing changed is
 * one call each). Invoices are read with `summaryOnly=true`: only their id, type, status and
 * UpdatedDateUTC are needed, not their lines.
 *
 * The cursor is the latest UpdatedDateUTC seen (ISO 8601, to the millisecond Xero gives), and the
 * next pass sends it as `If-Modified-Since`, which takes records modified at or after it: the
 * changes at exactly that instant are listed again (the same change, the same changedAt).
 *
 * Payments are read first: a payment landing between the two reads also moves its invoice's
 * UpdatedDateUTC, which the invoice read then shows, so no payment is lost behind a cursor that
 * moved past it without the invoice it pays being listed.
 */
export function createXeroChanges(api: XeroApiClient): ProviderSync['changes'] {
  return {
    callsPerPass: 2,

    async since(auth, cursor, from) {
      const list = createChangeList(cursor ?? from)
      const headers = { 'If-Modified-Since': new Date(list.startMs).toISOString() }

      /** Each page of one list read with If-Modified-Since, to the last. */
      async function* pages<T extends Paged>(path: string, query: Query, schema: z.ZodType<T>) {
        for (let page = 1; ; page++) {
          const { data } = await api.get(auth, path, { ...query, page, pageSize: PAGE_SIZE }, schema, headers)
          yield data
          if (!data.pagination || page >= data.pagination.pageCount) return
        }
      }
      /** A sales record is listed; one of another type is only seen. */
      function note(
        entity: ProviderChange['entity'],
        sales: string,
        id: string,
        type: string | null | undefined,
        r: Changed,
      ) {
        // A record Xero names no type for is kept: the engine ignores a payment it does not know.
        if (type && type !== sales) list.seen(Date.parse(r.UpdatedDateUTC))
        else list.add({ entity, id, changedAt: r.UpdatedDateUTC, deleted: GONE.has(r.Status ?? '') })
      }

      // API docs: https://developer.xero.com/documentation/api/accounting/payments#get-payments
      for await (const data of pages('/Payments', {}, PaymentChangesEnvelopeSchema))
        for (const p of data.Payments) note('payment', SALES_PAYMENT, p.PaymentID, p.PaymentType, p)
      // API docs: https://developer.xero.com/documentation/api/accounting/invoices#get-invoices
      for await (const data of pages('/Invoices', { summaryOnly: true }, InvoiceChangesEnvelopeSchema))
        for (const inv of data.Invoices) note('invoice', SALES_INVOICE, inv.InvoiceID, inv.Type, inv)

      return list.feed()
    },
  }
}
