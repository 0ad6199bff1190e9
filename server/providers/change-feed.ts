import type { ChangeFeed, ProviderChange } from './sync-contract.ts'

/**
 * What the three change feeds (`ProviderSync.changes`) share: reading the instant a pass starts
 * from, and gathering what the provider answered into a ChangeFeed whose cursor is the provider's
 * own latest change time seen, never one of our clock's.
 */

/** The instant a cursor or `from` names, in ms. One that names none is the caller's bug, not the provider's. */
export function instantOf(value: string): number {
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 instant: ${value}`)
  return ms
}

/** An instant as ISO 8601 to the second, the resolution QuickBooks and Sage keep timestamps in. */
export const isoSecond = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')

/**
 * The changes of one pass, each listed once (an inclusive filter, a continuation, or a record moving
 * between pages while they are read can answer the same change twice), and the latest change time
 * the provider answered, including records the feed leaves out (a supplier bill), which are seen
 * and need not be read again. `start` is where the pass starts: the cursor it was given, else `from`
 * (a feed's `since(auth, cursor, from)`); `startMs` is its instant.
 */
export function createChangeList(start: string) {
  const startMs = instantOf(start)
  const byKey = new Map<string, ProviderChange>()
  let latest: number | null = null
  const seen = (ms: number) => {
    if (latest === null || ms > latest) latest = ms
  }
  return {
    startMs,
    seen,
    add(change: ProviderChange) {
      byKey.set(`${change.entity}:${change.id}:${change.changedAt}:${String(change.deleted)}`, change)
      seen(Date.parse(change.changedAt))
    },
    get size() {
      return byKey.size
    },
    /** The feed: the cursor is the latest change time seen when it is past `start`, else `start` unchanged. */
    feed(): ChangeFeed {
      return {
        changes: [...byKey.values()],
        cursor: latest !== null && latest > startMs ? new Date(latest).toISOString() : start,
      }
    },
  }
}
