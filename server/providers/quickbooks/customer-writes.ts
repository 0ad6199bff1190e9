import { ProviderError } from '../provider.ts'
import type { ContactInput, ContactItemResult, ProviderAuth } from '../sync-contract.ts'
import type { CompanyApi } from './company.ts'
import { QUICKBOOKS_FACTS } from './facts.ts'
import { faultError } from './faults.ts'
import { toQboCustomer } from './mappers.ts'
import { queryAll, quote, realmAuth, requestIdFor } from './queries.ts'
import { BatchResponseSchema, CustomerRawSchema, FaultSchema } from './wire.ts'

const STALE = '5010'
const BATCH_REQUEST_ID_MAX = QUICKBOOKS_FACTS.idempotency.maxLength ?? 36

/** One batch item's answer: its entity, or its own Fault (`stale` for a 5010, an old SyncToken). */
export type ItemAnswer =
  { ok: true; item: Record<string, unknown> } | { ok: false; error: ProviderError; stale: boolean }

/** One `/batch` request (PROVIDERS 2.4: up to 30 items); answers each item by its bId. */
export function createBatch(company: CompanyApi) {
  return async function batch(auth: ProviderAuth, items: Record<string, unknown>[], requestId?: string) {
    // API docs: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch
    const { body, res } = await company.call(realmAuth(auth), 'batch', BatchResponseSchema, {
      body: { BatchItemRequest: items },
      ...(requestId ? { requestId } : {}),
    })
    const answers = new Map(body.BatchItemResponse.map((item) => [item.bId ?? '', item]))
    return (bId: string): ItemAnswer => {
      const item = answers.get(bId)
      if (!item)
        return {
          ok: false,
          error: new ProviderError('quickbooks', 'transient', `batch item ${bId} was not answered`),
          stale: false,
        }
      const fault = FaultSchema.safeParse(item.Fault)
      if (item.Fault !== undefined && fault.success) {
        const stale = fault.data.Error.some((e) => e.code === STALE)
        return { ok: false, error: faultError(company.http, fault.data, res), stale }
      }
      return { ok: true, item }
    }
  }
}

type Batch = ReturnType<typeof createBatch>
type Written = { result: ContactItemResult; stale: boolean }

/**
 * Customers created, or (with `existing`) sparse-updated at the SyncToken of our last write, in one
 * `/batch` of up to 30 items a request, every item checked. QBO bumps the SyncToken on every change
 * (an edit in its app included), so a 5010 re-reads those customers and retries them once at the
 * current token, as invoices do; a customer gone from QBO answers 'not_found'.
 */
export function createCustomerWrites(company: CompanyApi, batch: Batch) {
  const size = QUICKBOOKS_FACTS.batchSize

  async function write(
    auth: ProviderAuth,
    items: { contact: ContactInput; syncToken: string | null }[],
    requestId: string,
  ): Promise<Written[]> {
    if (items.length === 0) return []
    const answer = await batch(
      auth,
      items.map(({ contact, syncToken }, i) => ({
        bId: String(i),
        operation: contact.existing ? 'update' : 'create',
        Customer: toQboCustomer(contact, syncToken),
      })),
      requestId,
    )
    return items.map(({ contact }, i): Written => {
      const reference = contact.reference
      const a = answer(String(i))
      if (!a.ok) return { result: { reference, ok: false, error: a.error }, stale: a.stale }
      const customer = CustomerRawSchema.safeParse(a.item.Customer)
      return customer.success
        ? {
            result: {
              reference,
              ok: true,
              contact: { id: customer.data.Id, version: customer.data.SyncToken },
            },
            stale: false,
          }
        : {
            result: {
              reference,
              ok: false,
              error: new ProviderError(
                'quickbooks',
                'validation',
                `batch item ${i}: an answer without a Customer`,
              ),
            },
            stale: false,
          }
    })
  }

  async function writeChunk(auth: ProviderAuth, contacts: ContactInput[], key: string) {
    const first = await write(
      auth,
      contacts.map((contact) => ({ contact, syncToken: contact.existing?.version ?? null })),
      requestIdFor(key, BATCH_REQUEST_ID_MAX),
    )
    const stale = contacts.flatMap((c, i) => (first[i]!.stale && c.existing ? [i] : []))
    if (stale.length > 0) {
      const ids = stale.map((i) => contacts[i]!.existing!.id)
      const current = new Map(
        (
          await queryAll(company, auth, 'Customer', `Id IN (${ids.map(quote).join(', ')})`, CustomerRawSchema)
        ).map((raw) => [raw.Id, raw.SyncToken]),
      )
      const retry = stale.filter((i) => current.has(contacts[i]!.existing!.id))
      for (const i of stale)
        if (!retry.includes(i))
          first[i] = {
            result: {
              reference: contacts[i]!.reference,
              ok: false,
              error: new ProviderError(
                'quickbooks',
                'not_found',
                `The QuickBooks customer ${contacts[i]!.existing!.id} is no longer there (deleted or made inactive)`,
              ),
            },
            stale: false,
          }
      // A different requestid: the first one would replay the stale answer (PROVIDERS 2.5).
      const again = await write(
        auth,
        retry.map((i) => ({ contact: contacts[i]!, syncToken: current.get(contacts[i]!.existing!.id)! })),
        requestIdFor(`${key}:stale-retry`, BATCH_REQUEST_ID_MAX),
      )
      retry.forEach((i, j) => (first[i] = again[j]!))
    }
    return first.map((w) => w.result)
  }

  return async function upsertMany(
    auth: ProviderAuth,
    contacts: ContactInput[],
    idempotencyKey: string,
  ): Promise<ContactItemResult[]> {
    const out: ContactItemResult[] = []
    for (let start = 0; start < contacts.length; start += size) {
      const key = start === 0 ? idempotencyKey : `${idempotencyKey}:${start / size}`
      out.push(...(await writeChunk(auth, contacts.slice(start, start + size), key)))
    }
    return out
  }
}
