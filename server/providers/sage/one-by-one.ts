import { ProviderError } from '../provider.ts'

/** Failures that are the connection's, not the record's: the rest of the batch would meet them too. */
const CONNECTION_FAULTS = new Set(['rate_limited', 'auth', 'revoked', 'transient'])

/**
 * Sage has no batch: a "batch" is one request a record, in order. The connection's fault is thrown
 * (a 401 refreshes the token and tries again, a 429 pauses the business), and whatever landed before
 * it is found by the engine's lookup on the retry; Sage's refusal of one record (a 422) is that
 * record's answer, and the rest go on.
 */
export async function oneByOne<I, R>(
  items: readonly I[],
  write: (item: I) => Promise<R>,
): Promise<({ ok: true; value: R } | { ok: false; error: ProviderError })[]> {
  const results: ({ ok: true; value: R } | { ok: false; error: ProviderError })[] = []
  for (const item of items) {
    try {
      results.push({ ok: true, value: await write(item) })
    } catch (err) {
      if (!(err instanceof ProviderError) || CONNECTION_FAULTS.has(err.kind)) throw err
      results.push({ ok: false, error: err })
    }
  }
  return results
}
