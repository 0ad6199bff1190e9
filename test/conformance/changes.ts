import { withRequestMeter } from '../../server/providers/provider-http.ts'
import type { ChangeFeed, ProviderChange } from '../../server/providers/sync-contract.ts'

/**
 * What the change-feed suites (*-changes.test.ts) compare a feed's answer with, the same for every
 * provider: its changes as rows in a stable order, the ids of one entity, and how many requests a
 * pass made through the metered path the engine's limiter counts.
 */

/** One change as a comparable row. */
export const row = (entity: ProviderChange['entity'], id: string, at: string, deleted = false) =>
  `${entity} ${id} ${at}${deleted ? ' deleted' : ''}`

/** Changes as comparable rows, in a stable order. */
export const rows = (f: ChangeFeed) =>
  f.changes.map((c) => row(c.entity, c.id, c.changedAt, c.deleted)).sort((a, b) => a.localeCompare(b))

/** Rows expected, in the order `rows` answers them. */
export const expected = (...r: string[]) => r.sort((a, b) => a.localeCompare(b))

/** The ids of the changes of one entity, sorted. */
export const idsOf = (f: ChangeFeed, entity: ProviderChange['entity']) =>
  f.changes
    .filter((c) => c.entity === entity)
    .map((c) => c.id)
    .sort()

/** What `pass` answers, and how many requests it made through the metered path. */
export async function metered<T>(pass: () => Promise<T>): Promise<{ result: T; requests: number }> {
  let requests = 0
  const result = await withRequestMeter(() => {
    requests++
    return Promise.resolve()
  }, pass)
  return { result, requests }
}
