import { createChangeList, instantOf } from '../change-feed.ts'
import type { ProviderSync } from '../sync-contract.ts'
import type { XeroApiClient } from './client.ts'
import { InvoiceChangesEnvelopeSchema, PaymentChangesEnvelopeSchema } from './wire.ts'

const PAGE_SIZE = 100
/** An invoice voided or deleted, a payment deleted (PROVIDERS 1.8): gone for the sync. */
const GONE = new Set(['DELETED', 'VOIDED'])
/** Sales invoices, and the payments applied to them: bills (ACCPAY) and their payments are not ours. */
const SALES_INVOICE = 'ACCREC'
const SALES_PAYMENT = 'ACCRECPAYMENT'

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
      const start = cursor ?? from
      const startMs = instantOf(start)
      const headers = { 'If-Modified-Since': new Date(startMs).toISOString() }
      const list = createChangeList()

      for (let page = 1; ; page++) {
        // API docs: https://developer.xero.com/documentation/api/accounting/payments#get-payments
        const { data } = await api.get(
          auth,
          '/Payments',
          { page, pageSize: PAGE_SIZE },
          PaymentChangesEnvelopeSchema,
          headers,
        )
        for (const p of data.Payments) {
          // A payment Xero names no type for is kept: the engine ignores a payment it does not know.
          if (p.PaymentType && p.PaymentType !== SALES_PAYMENT) list.seen(Date.parse(p.UpdatedDateUTC))
          else
            list.add({
              entity: 'payment',
              id: p.PaymentID,
              changedAt: p.UpdatedDateUTC,
              deleted: GONE.has(p.Status ?? ''),
            })
        }
        if (!data.pagination || page >= data.pagination.pageCount) break
      }

      for (let page = 1; ; page++) {
        // API docs: https://developer.xero.com/documentation/api/accounting/invoices#get-invoices
        const { data } = await api.get(
          auth,
          '/Invoices',
          { summaryOnly: true, page, pageSize: PAGE_SIZE },
          InvoiceChangesEnvelopeSchema,
          headers,
        )
        for (const inv of data.Invoices) {
          if (inv.Type && inv.Type !== SALES_INVOICE) list.seen(Date.parse(inv.UpdatedDateUTC))
          else
            list.add({
              entity: 'invoice',
              id: inv.InvoiceID,
              changedAt: inv.UpdatedDateUTC,
              deleted: GONE.has(inv.Status ?? ''),
            })
        }
        if (!data.pagination || page >= data.pagination.pageCount) break
      }

      return list.feed(start, startMs)
    },
  }
}
