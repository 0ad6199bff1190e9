import type { HistoryItem, HistoryRun, HistoryRunDetail } from '../../shared/history.ts'
import type { ApiError } from '../api/api-error.ts'
import { asError, sayFailure } from '../components/problem.tsx'
import { observable } from '../elements/observable.ts'
import { historyApi, type HistoryQuery } from '../api/history.ts'
import type { Page } from '../runtime.ts'
import { historyWords } from './words.ts'

export type Filters = Pick<HistoryQuery, 'status' | 'kind' | 'from' | 'to' | 'q'>
interface List {
  /** null while the first page loads. */
  runs: HistoryRun[] | null
  next: string | null
  failure: ApiError | null
  more: boolean
}
interface Opened {
  id: string
  run: HistoryRunDetail | null
  failure: ApiError | null
  /** The retry under way: 'all' or an item's key. */
  busy: string | null
  /** A refused retry, and the key of what was retried. */
  refused: [ApiError, string] | null
}

const PAGE_SIZE = 25
const LOADING: List = { runs: null, next: null, failure: null, more: false }

/** Where an item stands now allows a retry (not synced since, and not already on its way). */
export const canRetry = (i: HistoryItem) => i.now !== 'synced' && i.now !== 'pending'
export const itemKey = (i: HistoryItem) => `${i.recordKind}/${i.recordId}`

/**
 * One `<ledgerlink-sync-history>`'s state: the filtered runs and their pages, and the run opened
 * with its retries; observables changed by the actions below only. A late answer to a superseded list
 * request (`seq`) or to a run no longer open is dropped, so quick changes never show older data.
 */
export function createHistoryState(page: Page) {
  const api = historyApi(page.api)
  const w = historyWords(page.format)
  const filters = observable<Filters>({})
  const list = observable<List>(LOADING)
  const opened = observable<Opened | null>(null)
  let seq = 0

  const setList = (change: Partial<List>) => (list.value = { ...list.value, ...change })
  const setOpened = (id: string, change: Partial<Opened>) => {
    if (opened.value?.id === id) opened.value = { ...opened.value, ...change }
  }

  /** The first page afresh (`quiet`: keeping the runs shown until it comes), or the next one. */
  async function load(mode?: 'quiet' | 'more') {
    const { runs, next, more } = list.value
    const adding = mode === 'more'
    if (adding && (!next || more)) return
    const mine = adding ? seq : ++seq
    if (adding) setList({ more: true, failure: null })
    else if (!mode) list.value = LOADING
    try {
      const answer = await api.list({
        ...filters.value,
        limit: PAGE_SIZE,
        cursor: adding ? next! : undefined,
      })
      if (mine !== seq) return
      list.value = {
        runs: adding ? [...(runs ?? []), ...answer.data] : answer.data,
        next: answer.nextCursor,
        failure: null,
        more: false,
      }
      if (adding) page.announce(w.moreShown(answer.data.length))
    } catch (e) {
      if (mine === seq) setList({ failure: asError(e), more: false })
    }
  }

  async function fetchRun(id: string, quiet?: boolean) {
    if (!quiet) opened.value = { id, run: null, failure: null, busy: null, refused: null }
    try {
      setOpened(id, { run: await api.get(id), failure: null })
    } catch (e) {
      setOpened(id, { failure: asError(e) })
    }
  }

  /** Retries one failed record of the open run, or all: says how many went, then refreshes. */
  async function retry(item?: HistoryItem) {
    const o = opened.value
    if (!o?.run || o.busy) return
    const key = item ? itemKey(item) : 'all'
    setOpened(o.id, { busy: key, refused: null })
    try {
      const answer = await (item ? api.retryItem(o.id, item.recordKind, item.recordId) : api.retry(o.id))
      page.announce(w.retried(answer.retried, o.run.recordKind))
      await Promise.all([fetchRun(o.id, true), load('quiet')])
      setOpened(o.id, { busy: null })
    } catch (e) {
      const error = asError(e)
      setOpened(o.id, { busy: null, refused: [error, key] })
      page.announce(sayFailure(error))
    }
  }

  return {
    page,
    w,
    all: [filters, list, opened],
    filters,
    list,
    opened,
    load,
    retry,
    /** Changes some filters and loads the first page they give. */
    filter(change: Filters) {
      filters.value = { ...filters.value, ...change }
      return load()
    },
    /** Opens a run (again only when it failed to load). */
    open(id: string) {
      const o = opened.value
      return o?.id === id && !o.failure ? undefined : fetchRun(id)
    },
    close: () => void (opened.value = null),
  }
}
export type HistoryState = ReturnType<typeof createHistoryState>
