import type { Db } from './client.ts'

/**
 * Rows read on every request (a session, the status view), kept in memory for as long as the
 * database says nothing changed: each read first asks for the database's change stamp (one
 * statement, a few µs) and serves the kept value only if the stamp is the one it was read under
 * and its own time limit has not passed. Any committed write, by this process or another, moves
 * the stamp, so a request never sees less than every change committed before it began. A driver
 * without a stamp keeps nothing. Values are shared between requests: treat them as read-only.
 */
export interface ReadCache<V> {
  /**
   * The value for `key`: kept, or loaded by `load`, which answers it with `until`, the time after
   * which it may be wrong even if nothing is written (an expiry), and whether to keep it at all.
   */
  read(key: string, now: number, load: () => Promise<Loaded<V>>, stamp?: Stamp): Promise<V>
}

/** Where a read takes its change stamp: the database's own by default, or a request's (Db.requestStamps). */
export type Stamp = () => Promise<string | null>

export interface Loaded<V> {
  value: V
  /** Epoch ms after which the value must be read again; no limit when absent. */
  until?: number
  /** False for what is not worth keeping (an unknown key: anyone can ask for many). */
  keep?: boolean
}

export function createReadCache<V>(db: Pick<Db, 'changeStamp'>, options: { max: number }): ReadCache<V> {
  const entries = new Map<string, { stamp: string; value: V; until: number }>()
  return {
    async read(key, now, load, stampOf = () => db.changeStamp()) {
      // The stamp is read before the data it guards: a change that lands in between only makes
      // the next request read again.
      const stamp = await stampOf()
      const kept = entries.get(key)
      if (stamp !== null && kept?.stamp === stamp && now < kept.until) return kept.value
      const loaded = await load()
      if (stamp === null || loaded.keep === false) {
        entries.delete(key)
        return loaded.value
      }
      entries.delete(key) // re-inserted last: the oldest load is the first to go
      entries.set(key, { stamp, value: loaded.value, until: loaded.until ?? Infinity })
      if (entries.size > options.max) entries.delete(entries.keys().next().value!)
      return loaded.value
    },
  }
}
