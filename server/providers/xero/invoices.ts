import { ProviderError } from '../provider.ts'
import type { BatchItemResult, InvoiceInput, ProviderInvoice, ProviderSync } from '../sync-contract.ts'
import type { XeroApiClient } from './client.ts'
import { xeroIdempotencyKey } from './client.ts'
import { XERO_FACTS } from './facts.ts'
import { elementError, elementFailed, fromXeroInvoice, toXeroInvoice } from './mappers.ts'
import { InvoicesEnvelopeSchema } from './wire.ts'

type Auth = Parameters<ProviderSync['invoices']['findByNumbers']>[0]

/** Numbers per lookup request: InvoiceNumbers is a comma-separated query value, kept well short. */
const NUMBERS_PER_LOOKUP = 40
const PAGE_SIZE = 100

/**
 * Invoices. New ones go with PUT /Invoices, which only creates, so a number that already exists
 * (a write whose answer was lost, or one a bookkeeper made) fails as 'conflict' for the engine to
 * look up, rather than POST silently overwriting it (PROVIDERS 1.6 "Safe create"). Known ones go
 * with POST /Invoices by InvoiceID, every line with its LineItemID so Xero updates the lines
 * instead of deleting and re-adding them (XR-D06). Both with summarizeErrors=false: the answer
 * is 200 and every element says OK or ERROR, so the valid ones are not lost (PROVIDERS 1.6); and
 * unitdp=4, so unit prices keep four decimals.
 */
export function createXeroInvoices(api: XeroApiClient): ProviderSync['invoices'] {
  async function send(
    auth: Auth,
    method: 'PUT' | 'POST',
    batch: InvoiceInput[],
    idempotencyKey: string,
  ): Promise<BatchItemResult[]> {
    // API docs: https://developer.xero.com/documentation/api/accounting/invoices#put-invoices
    // API docs: https://developer.xero.com/documentation/api/accounting/invoices#post-invoices
    const { data, correlationId } = await api.write(
      auth,
      method,
      '/Invoices',
      { summarizeErrors: false, unitdp: 4 },
      { Invoices: batch.map(toXeroInvoice) },
      xeroIdempotencyKey(idempotencyKey, method === 'PUT' ? 'create' : 'update'),
      InvoicesEnvelopeSchema,
    )
    if (data.Invoices.length !== batch.length) {
      throw new ProviderError(
        'xero',
        'validation',
        `Xero answered ${data.Invoices.length} invoices for ${batch.length} sent`,
        { correlationId },
      )
    }
    // Elements come back in the order they were sent.
    return batch.map((input, i): BatchItemResult => {
      const element = data.Invoices[i]!
      if (elementFailed(element) || !element.InvoiceID)
        return { invoiceId: input.invoiceId, ok: false, error: elementError(element, correlationId) }
      return { invoiceId: input.invoiceId, ok: true, invoice: fromXeroInvoice(element, input.currency) }
    })
  }

  return {
    async upsertMany(auth, invoices, idempotencyKey) {
      if (invoices.length > XERO_FACTS.batchSize) {
        throw new RangeError(
          `at most ${XERO_FACTS.batchSize} invoices per Xero request, got ${invoices.length}`,
        )
      }
      const groups = [
        { method: 'POST' as const, batch: invoices.filter((i) => i.existing) },
        { method: 'PUT' as const, batch: invoices.filter((i) => !i.existing) },
      ].filter((g) => g.batch.length > 0)
      const results = new Map<string, BatchItemResult>()
      for (const [n, group] of groups.entries()) {
        try {
          for (const r of await send(auth, group.method, group.batch, idempotencyKey))
            results.set(r.invoiceId, r)
        } catch (err) {
          // Nothing has landed yet: the whole call failed, and the engine retries it as one.
          // After a landed request, the rest carry the failure so the landed results are kept.
          if (n === 0 || !(err instanceof ProviderError)) throw err
          for (const i of group.batch)
            results.set(i.invoiceId, { invoiceId: i.invoiceId, ok: false, error: err })
        }
      }
      return invoices.map((i) => results.get(i.invoiceId)!)
    },

    async findByNumbers(auth, numbers) {
      const found: ProviderInvoice[] = []
      for (let at = 0; at < numbers.length; at += NUMBERS_PER_LOOKUP) {
        const chunk = numbers.slice(at, at + NUMBERS_PER_LOOKUP)
        // Paged, because unpaged invoice lists leave out LineItems (PROVIDERS 1.9).
        for (let page = 1; ; page++) {
          // API docs: https://developer.xero.com/documentation/api/accounting/invoices#get-invoices
          const { data } = await api.get(
            auth,
            '/Invoices',
            {
              InvoiceNumbers: chunk.join(','),
              where: 'Type=="ACCREC"',
              page,
              pageSize: PAGE_SIZE,
              unitdp: 4,
            },
            InvoicesEnvelopeSchema,
          )
          found.push(...data.Invoices.map((raw) => fromXeroInvoice(raw)))
          if (!data.pagination || page >= data.pagination.pageCount) break
        }
      }
      return found
    },
  }
}
