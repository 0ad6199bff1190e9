import type {
  InvoiceInput,
  ProviderAuth,
  ProviderInvoice,
  ProviderSync,
} from '../../server/providers/sync-contract.ts'

/**
 * One invoice through the batched upsert, its item's failure thrown: what the adapter answers it
 * landed as. `key` is the job's idempotency key.
 */
export async function pushOneInvoice(
  sync: ProviderSync,
  auth: ProviderAuth,
  input: InvoiceInput,
  key: string,
): Promise<ProviderInvoice> {
  const [result] = await sync.invoices.upsertMany(auth, [input], key)
  if (!result?.ok) throw result?.error ?? new Error('no result')
  return result.invoice
}
