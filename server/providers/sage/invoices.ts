import { ProviderError } from '../provider.ts'
import type {
  BatchItemResult,
  InvoiceInput,
  ProviderAuth,
  ProviderInvoice,
  ProviderSync,
} from '../sync-contract.ts'
import type { SageApi } from './api.ts'
import { fromSageInvoice, toSageInvoice } from './mappers.ts'
import { oneByOne } from './one-by-one.ts'
import { SageInvoiceListItem, SageInvoiceRaw } from './wire.ts'

/**
 * How many pages (of 200, newest first) the lookup after an uncertain outcome reads. Sage cannot
 * filter sales invoices by number (`search` covers reference and contact name only), so the
 * lookup scans the newest invoices, where a write of the last minutes is. An older one it misses
 * is still safe: Sage refuses a second invoice with a taken `invoice_number`.
 */
const LOOKUP_PAGES = 5

const path = (id: string) => `/sales_invoices/${encodeURIComponent(id)}`

/**
 * Sage has no batch endpoint and no idempotency key (facts.batchSize 1, idempotency 'none'): one
 * request per invoice, the engine's lookup (findByNumbers) being the guard against a duplicate.
 */
export function createSageInvoices(api: SageApi): ProviderSync['invoices'] {
  async function read(auth: ProviderAuth, id: string) {
    // API docs: https://developer.sage.com/accounting/reference/invoicing-sales/#tag/Sales-Invoices/operation/getSalesInvoicesKey
    return api.get(auth, path(id), { attributes: 'all' }, SageInvoiceRaw)
  }

  async function upsert(auth: ProviderAuth, inv: InvoiceInput): Promise<ProviderInvoice> {
    if (!inv.existing) {
      // API docs: https://developer.sage.com/accounting/reference/invoicing-sales/#tag/Sales-Invoices/operation/postSalesInvoices
      return fromSageInvoice(
        await api.write(auth, 'POST', '/sales_invoices', toSageInvoice(inv), SageInvoiceRaw),
      )
    }
    // Read first: a paid or void invoice is refused before any write, and the current line ids
    // tell which lines to keep (same id) and which to remove (_destroy).
    const current = await read(auth, inv.existing.id)
    const view = fromSageInvoice(current)
    if (view.locked)
      throw new ProviderError(
        'sage',
        'locked',
        `Sage invoice ${view.number} is ${view.status}: Sage refuses edits`,
      )
    const body = toSageInvoice(
      inv,
      current.invoice_lines.map((l) => l.id),
    )
    // API docs: https://developer.sage.com/accounting/reference/invoicing-sales/#tag/Sales-Invoices/operation/putSalesInvoicesKey
    return fromSageInvoice(await api.write(auth, 'PUT', path(inv.existing.id), body, SageInvoiceRaw))
  }

  return {
    async upsertMany(auth, invoices) {
      const results = await oneByOne(invoices, (inv) => upsert(auth, inv))
      return results.map((r, n): BatchItemResult =>
        r.ok
          ? { invoiceId: invoices[n]!.invoiceId, ok: true, invoice: r.value }
          : { invoiceId: invoices[n]!.invoiceId, ok: false, error: r.error },
      )
    },

    async findByNumbers(auth, numbers) {
      const wanted = new Set(numbers)
      const ids: string[] = []
      let pages = 0
      // API docs: https://developer.sage.com/accounting/reference/invoicing-sales/#tag/Sales-Invoices/operation/getSalesInvoices
      const query = { sort: 'created_at:desc', attributes: 'invoice_number' }
      for await (const items of api.pages(auth, '/sales_invoices', query, SageInvoiceListItem)) {
        for (const item of items) if (wanted.delete(item.invoice_number)) ids.push(item.id)
        if (wanted.size === 0 || ++pages >= LOOKUP_PAGES) break
      }
      const found: ProviderInvoice[] = []
      for (const id of ids) found.push(fromSageInvoice(await read(auth, id)))
      return found
    },
  }
}
