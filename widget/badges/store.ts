import type { ProviderId } from '../../shared/providers.ts'
import { STATUS_BATCH_MAX } from '../../shared/sync-limits.ts'
import type { StatusAnswer, SyncState } from '../../shared/sync-state.ts'
import { asError, type ApiError } from '../api/api-error.ts'
import type { ApiClient } from '../api/client.ts'
import { observable, type Observable } from '../elements/observable.ts'

/** One badge's invoice: `sync` undefined while unread, null when this account has no such invoice. */
export interface BadgeEntry {
  sync: SyncState | null | undefined
  /** "Post" or Retry sent, not yet answered. */
  posting: boolean
  /** Why the last Post or Retry was refused (the badge shows it until the next try). */
  refused: ApiError | null
}

export type StatusConnection = StatusAnswer['connection']

export interface BadgeStoreDeps {
  api: ApiClient
  /** Said once for a whole poll, through the page's one live region. */
  announce: (change: { provider: ProviderId; synced: number; failed: number }) => void
  /** The page, for visibility: a hidden tab is not polled (it catches up when shown). */
  doc?: Pick<Document, 'visibilityState' | 'addEventListener'> | undefined
}

/** How long badges that appear together wait for each other, so a page's badges ask in one request. */
export const GATHER_MS = 25
/** Polling while something is on its way (Pending, or a Post not yet answered), and otherwise. */
export const FAST_POLL_MS = 2_000
export const SLOW_POLL_MS = 30_000

/**
 * The sync states of every badge on the page: one batched status request for all of them (at most
 * 500 ids a request), polled until the page gets an event stream, faster while anything is pending.
 * Badges watch an id while mounted; an id two badges show is read once.
 */
export function createBadgeStore({ api, announce, doc = document }: BadgeStoreDeps) {
  const entries = new Map<string, Observable<BadgeEntry>>()
  const watchers = new Map<string, number>()
  /** The connection the invoices go to; undefined until the first answer. */
  const connection = observable<StatusConnection | undefined>(undefined)
  /** The last poll failed: badges keep what they showed, unread ones say they could not check. */
  const loadError = observable<ApiError | null>(null)
  let gathering: ReturnType<typeof setTimeout> | null = null
  let polling: ReturnType<typeof setTimeout> | null = null
  let inFlight: Promise<void> | null = null
  let again = false

  function entry(id: string): Observable<BadgeEntry> {
    let e = entries.get(id)
    if (!e) entries.set(id, (e = observable<BadgeEntry>({ sync: undefined, posting: false, refused: null })))
    return e
  }
  const update = (id: string, patch: Partial<BadgeEntry>) => {
    const e = entry(id)
    e.value = { ...e.value, ...patch }
  }

  const busy = () =>
    [...watchers.keys()].some((id) => {
      const e = entries.get(id)?.value
      return e?.posting || e?.sync?.state === 'pending'
    })

  function schedule(ms: number) {
    if (polling) clearTimeout(polling)
    polling = setTimeout(() => {
      polling = null
      if (doc.visibilityState === 'hidden') return // visibilitychange polls when the tab is shown
      void load([...watchers.keys()])
    }, ms)
  }

  /** Reads the states of `ids` (500 a request) and applies them; one load at a time, the next queued. */
  function load(ids: string[]): Promise<void> {
    if (inFlight) {
      again = true
      return inFlight
    }
    inFlight = (async () => {
      let provider: ProviderId | null = null
      let synced = 0
      let failed = 0
      try {
        for (let i = 0; i < ids.length; i += STATUS_BATCH_MAX) {
          const chunk = ids.slice(i, i + STATUS_BATCH_MAX)
          const answer = await api.syncStatus(chunk)
          connection.value = answer.connection
          loadError.value = null
          for (const id of chunk) {
            const before = entries.get(id)?.value.sync
            const next = answer.states[id] ?? null
            if (before?.state === 'pending' && next && next.state !== 'pending') {
              provider = next.provider
              if (next.state === 'synced') synced++
              else if (next.state === 'error') failed++
            }
            // An unchanged answer changes nothing on the page.
            if (JSON.stringify(before) !== JSON.stringify(next)) update(id, { sync: next })
          }
        }
      } catch (e) {
        loadError.value = asError(e)
      } finally {
        inFlight = null
      }
      if (provider && synced + failed > 0) announce({ provider, synced, failed })
      if (again) {
        again = false
        return load([...watchers.keys()])
      }
      if (watchers.size > 0) schedule(busy() ? FAST_POLL_MS : SLOW_POLL_MS)
    })()
    return inFlight
  }

  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'visible' && watchers.size > 0 && !polling && !inFlight)
      void load([...watchers.keys()])
  })

  return {
    connection,
    loadError,
    entry,
    /** A badge shows `id` while mounted; call the returned function when it stops. */
    watch(id: string): () => void {
      watchers.set(id, (watchers.get(id) ?? 0) + 1)
      if (entry(id).value.sync === undefined && !gathering)
        gathering = setTimeout(() => {
          gathering = null
          void load([...watchers.keys()].filter((w) => entry(w).value.sync === undefined))
        }, GATHER_MS)
      return () => {
        const n = (watchers.get(id) ?? 1) - 1
        if (n > 0) watchers.set(id, n)
        else watchers.delete(id)
      }
    },
    /** Reads every watched badge's state now (after an action elsewhere on the page, say). */
    refresh: () => load([...watchers.keys()]),
    /** "Post to …" and Retry: queues the push, shows Pending at once, and polls fast until it ends. */
    async post(id: string): Promise<void> {
      update(id, { posting: true, refused: null })
      try {
        await api.pushInvoice(id)
        const sync = entry(id).value.sync
        update(id, { posting: false, sync: sync ? { ...sync, state: 'pending', error: null } : sync })
        schedule(FAST_POLL_MS)
      } catch (e) {
        update(id, { posting: false, refused: asError(e) })
      }
    },
    dismiss: (id: string) => update(id, { refused: null }),
  }
}
export type BadgeStore = ReturnType<typeof createBadgeStore>
