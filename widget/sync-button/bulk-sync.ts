import type { BulkKind, BulkPreview, BulkRun } from '../../shared/bulk.ts'
import type { ApiError } from '../api/api-error.ts'
import { asError, sayFailure } from '../components/problem.tsx'
import { observable } from '../elements/observable.ts'
import { bulkApi } from '../api/bulk.ts'
import type { Page } from '../runtime.ts'
import { providerName } from '../badges/words.ts'
import { syncWords, type SyncWords } from './words.ts'

/** How often a run's progress is read while it goes (its stream would need the session token in a URL). */
export const POLL_MS = 1_000

/** What the button shows; `busy` while the request of the last action is on its way. */
export type BulkView = { busy?: boolean } & (
  | { at: 'idle'; nothing?: boolean }
  | { at: 'confirm'; preview: BulkPreview }
  | { at: 'running'; run: BulkRun; cancelling: boolean }
  | { at: 'done'; run: BulkRun }
  | { at: 'error'; error: ApiError }
)

/** Says a moment of the sync through the page's live region (never a poll), in its words. */
export type Tell = (words: SyncWords, provider?: string) => string

const toSend = (p: BulkPreview) => p.invoices + p.creditNotes + p.payments + p.customers

/**
 * One sync button's state: preview, confirm, start, follow the run (one read a second, one at a
 * time) and cancel it; on `resume`, it follows a run of its kind started elsewhere (another page).
 * Answers that arrive after `dispose`, or for a run no longer followed, change nothing.
 */
export function createBulkSync(page: Page, kind: BulkKind, pollMs = POLL_MS) {
  const api = bulkApi(page.api)
  const view = observable<BulkView>({ at: 'idle' })
  /** The words of the moment (the provider's name once the page's badges know the connection). */
  const words = () => syncWords(kind, page.format)
  const provider = () => {
    const id = page.badges.connection.value?.provider
    return id && providerName(id)
  }
  const tell = (say: Tell) => page.announce(say(words(), provider() || undefined))
  let following: string | null = null
  let cancelling = false
  let alive = true
  let timer: ReturnType<typeof setTimeout> | undefined
  let retry = () => {}

  const set = (next: BulkView) => void (alive && (view.value = next))
  const busy = () => set({ ...view.value, busy: true })
  const fail = (again: () => void) => (e: unknown) => {
    if (!alive) return
    retry = again
    const error = asError(e)
    set({ at: 'error', error })
    page.announce(sayFailure(error))
  }

  function nothing() {
    set({ at: 'idle', nothing: true })
    tell((w, p) => w.nothing(p))
  }
  function follow(run: BulkRun) {
    if (run.id !== following) return // not followed any more (or disposed: nothing is)
    clearTimeout(timer)
    if (run.finishedAt === null) {
      set({ at: 'running', run, cancelling })
      timer = setTimeout(poll, pollMs)
      return
    }
    following = null
    if (run.progress.total === 0) {
      nothing()
    } else {
      set({ at: 'done', run })
      tell((w, p) => w.ended(run, p))
      void page.badges.refresh()
    }
  }
  function poll() {
    if (following) api.get(following).then(follow, fail(again))
  }
  function again() {
    busy()
    poll()
  }
  function track(run: BulkRun) {
    following = run.id
    cancelling = false
    follow(run)
  }

  function ask() {
    busy()
    api.preview(kind).then((preview) => {
      if (toSend(preview) > 0) set({ at: 'confirm', preview })
      else nothing()
    }, fail(ask))
  }
  function start() {
    busy()
    api.start(kind).then((run) => {
      if (!alive) return
      track(run)
      if (following === run.id) tell((w, p) => w.started(run, p))
    }, fail(start))
  }
  function cancel() {
    const v = view.value
    if (!following || cancelling || v.at !== 'running') return
    cancelling = true
    set({ ...v, cancelling })
    tell((w) => w.cancelling)
    api.cancel(following).then(
      follow,
      fail(() => {
        cancelling = false
        again()
      }),
    )
  }
  function dismiss() {
    following = null
    clearTimeout(timer)
    set({ at: 'idle' })
  }

  return {
    view,
    words,
    provider,
    ask,
    start,
    cancel,
    dismiss,
    /** Try again: the action that failed (a read of the run, when it was the run that failed). */
    again: () => retry(),
    /** Follows the run of this kind still going, if any, unless the user has begun something. */
    resume() {
      api.active().then(
        ({ data }) => {
          const run = data.find((r) => r.kind === kind && r.finishedAt === null)
          const v = view.value
          if (run && !following && v.at === 'idle' && !v.busy) track(run)
        },
        () => {},
      ) // no run to show: the button works as on a fresh page
    },
    dispose: () => {
      alive = false
      following = null
      clearTimeout(timer)
    },
  }
}
export type BulkSync = ReturnType<typeof createBulkSync>
