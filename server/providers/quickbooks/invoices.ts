import { ProviderError } from '../provider.ts'
import type { BatchItemResult, InvoiceInput, ProviderAuth, ProviderInvoice } from '../sync-contract.ts'
import type { CompanyApi } from './company.ts'
import { QUICKBOOKS_FACTS } from './facts.ts'
import { faultError } from './faults.ts'
import { fromQboInvoice, toQboInvoice } from './mappers.ts'
import { queryAll, quote, realmAuth, requestIdFor } from './queries.ts'
import { assertCurrencyFits } from './totals.ts'
import type { QboInvoiceRaw } from './wire.ts'
import { BatchResponseSchema, FaultSchema, InvoiceRawSchema } from './wire.ts'

const STALE = '5010'
const BATCH_REQUEST_ID_MAX = QUICKBOOKS_FACTS.idempotency.maxLength ?? 36
/** Numbers per `DocNumber IN (…)` lookup: keeps the query string short. */
const NUMBERS_PER_QUERY = 30

type Outcome = { ok: true; raw: QboInvoiceRaw } | { ok: false; error: ProviderError; stale: boolean }

const lockedError = (invoice: ProviderInvoice) =>
  new ProviderError(
    'quickbooks',
    'locked',
    `Invoice ${invoice.number} is ${invoice.status} in QuickBooks and can no longer be changed`,
  )

/**
 * Invoices through `/batch` (PROVIDERS 2.4: at most 30 items, each answered with its entity or its own
 * Fault, every item checked). An update is a sparse update at the SyncToken of our last push; QBO
 * bumps it on every change, a payment or a void included, so a 5010 (stale) re-reads those invoices
 * and retries them once at the current token, or answers 'locked' when they were paid or voided.
 */
export function createQuickBooksInvoices(company: CompanyApi) {
  const byIds = async (auth: ProviderAuth, ids: string[]) =>
    ids.length === 0
      ? []
      : queryAll(company, auth, 'Invoice', `Id IN (${ids.map(quote).join(', ')})`, InvoiceRawSchema)

  async function batch(
    auth: ProviderAuth,
    items: { input: InvoiceInput; syncToken: string | null }[],
    requestId: string,
  ): Promise<Outcome[]> {
    const outcomes: (Outcome | null)[] = items.map(() => null)
    const request: Record<string, unknown>[] = []
    items.forEach(({ input, syncToken }, i) => {
      try {
        assertCurrencyFits(input.currency)
        const Invoice = toQboInvoice(input, syncToken)
        request.push({ bId: String(i), operation: input.existing ? 'update' : 'create', Invoice })
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error
        outcomes[i] = { ok: false, error, stale: false }
      }
    })
    if (request.length > 0) {
      // API docs: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch
      const { body, res } = await company.call(realmAuth(auth), 'batch', BatchResponseSchema, {
        body: { BatchItemRequest: request },
        requestId,
      })
      for (const item of body.BatchItemResponse) {
        const i = Number(item.bId)
        if (!Number.isInteger(i) || !items[i]) continue
        const fault = FaultSchema.safeParse(item.Fault)
        if (item.Fault !== undefined && fault.success) {
          const stale = fault.data.Error.some((e) => e.code === STALE)
          outcomes[i] = { ok: false, error: faultError(company.http, fault.data, res), stale }
          continue
        }
        const invoice = InvoiceRawSchema.safeParse(item.Invoice)
        outcomes[i] = invoice.success
          ? { ok: true, raw: invoice.data }
          : { ok: false, error: unreadable(item.bId), stale: false }
      }
    }
    // An item the answer skipped has an unknown outcome: transient, so the engine looks it up.
    return outcomes.map((o, i) => o ?? { ok: false, error: unanswered(i), stale: false })
  }

  async function upsertChunk(auth: ProviderAuth, invoices: InvoiceInput[], key: string) {
    const first = await batch(
      auth,
      invoices.map((input) => ({ input, syncToken: input.existing?.version ?? null })),
      requestIdFor(key, BATCH_REQUEST_ID_MAX),
    )
    const stale = invoices.flatMap((input, i) => (first[i]?.ok === false && first[i].stale ? [i] : []))
    if (stale.length > 0) {
      const current = new Map(
        (
          await byIds(
            auth,
            stale.map((i) => invoices[i]!.existing!.id),
          )
        ).map((raw) => [raw.Id, raw]),
      )
      const retry: number[] = []
      for (const i of stale) {
        const raw = current.get(invoices[i]!.existing!.id)
        const seen = raw ? fromQboInvoice(raw) : null
        if (seen?.locked) first[i] = { ok: false, error: lockedError(seen), stale: false }
        else if (raw) retry.push(i)
      }
      // A different requestid: the first one would replay the stale answer (PROVIDERS 2.5).
      const again = await batch(
        auth,
        retry.map((i) => ({
          input: invoices[i]!,
          syncToken: current.get(invoices[i]!.existing!.id)!.SyncToken,
        })),
        requestIdFor(`${key}:stale-retry`, BATCH_REQUEST_ID_MAX),
      )
      retry.forEach((i, j) => (first[i] = again[j]!))
    }
    return invoices.map((input, i): BatchItemResult => {
      const o = first[i]!
      return o.ok
        ? { invoiceId: input.invoiceId, ok: true, invoice: fromQboInvoice(o.raw) }
        : { invoiceId: input.invoiceId, ok: false, error: o.error }
    })
  }

  return {
    async upsertMany(auth: ProviderAuth, invoices: InvoiceInput[], idempotencyKey: string) {
      const size = QUICKBOOKS_FACTS.batchSize
      const results: BatchItemResult[] = []
      for (let start = 0; start < invoices.length; start += size) {
        // More than one batch only if the engine sent more than facts.batchSize: each keeps its own key.
        const key = start === 0 ? idempotencyKey : `${idempotencyKey}:${start / size}`
        results.push(...(await upsertChunk(auth, invoices.slice(start, start + size), key)))
      }
      return results
    },

    async findByNumbers(auth: ProviderAuth, numbers: string[]): Promise<ProviderInvoice[]> {
      const found: ProviderInvoice[] = []
      for (let start = 0; start < numbers.length; start += NUMBERS_PER_QUERY) {
        const chunk = numbers.slice(start, start + NUMBERS_PER_QUERY)
        const where = `DocNumber IN (${chunk.map(quote).join(', ')})`
        found.push(...(await queryAll(company, auth, 'Invoice', where, InvoiceRawSchema)).map(fromQboInvoice))
      }
      return found
    },
  }
}

const unreadable = (bId: string | undefined) =>
  new ProviderError('quickbooks', 'validation', `batch item ${bId ?? '?'}: an answer without an Invoice`)
const unanswered = (i: number) =>
  new ProviderError('quickbooks', 'transient', `batch item ${i} was not answered; look it up before retrying`)
