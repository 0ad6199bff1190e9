import { useEffect, useMemo, useRef } from 'preact/hooks'
import type { BulkKind, BulkRun } from '../../shared/bulk.ts'
import { PROVIDERS } from '../../shared/providers.ts'
import { ApiError } from '../api/api-error.ts'
import { bulkApi } from '../api/bulk.ts'
import type { Attributes, ElementModule } from '../elements/define-element.tsx'
import type { Page } from '../runtime.ts'
import { usePage } from '../state/page-context.ts'
import { makeSheet } from '../styles/make-sheet.ts'
import { createBulkSync } from './bulk-sync.ts'
import { NOUN, syncWords, type SyncWords } from './words.ts'

/** `kind="credit-notes"` is the API's `credit_notes`; no kind, or one unknown, syncs invoices. */
const kindOf = (attr: string | null | undefined): BulkKind => {
  const k = (attr ?? '').replace('-', '_')
  return Object.hasOwn(NOUN, k) ? (k as BulkKind) : 'invoices'
}

/** The provider's name once the page's badges know the connection; else the words stay neutral. */
const providerOf = (page: Page) => {
  const id = page.badges.connection.value?.provider
  return id ? PROVIDERS[id].name : undefined
}

/** A failure in the server's words (it sends message and action), else ours. */
const problem = (page: Page, w: SyncWords, e: ApiError) =>
  e.server ? [e.server.message, e.server.action] : [e.code === 'network' ? page.words.network : w.failed]

/**
 * The history element opens the run named in the fragment (`#ledgerlink-run=run_…`), on the page
 * of `history-url` (its own fragment, if any, gives way). Only a web address: never `javascript:`.
 */
function failuresUrl(historyUrl: string, runId: string): string | null {
  try {
    const url = new URL(historyUrl, document.baseURI)
    url.hash = `ledgerlink-run=${runId}`
    return /^https?:$/.test(url.protocol) ? url.href : null
  } catch {
    return null
  }
}

/**
 * `<ledgerlink-sync-button kind="invoices|customers|credit-notes|payments" [history-url]>`: says
 * what a bulk sync would send, starts it once confirmed, shows its progress (read once a second)
 * with Cancel, and ends in a notification with the counts and a link to the failures. On mount it
 * follows a run of its kind that is still going, so the run shows on every page with the button.
 */
function SyncButton({ kind: kindAttr, historyUrl }: Attributes) {
  const page = usePage()
  const kind = kindOf(kindAttr)
  const w = syncWords(page.locale, kind, page.format.count)
  const provider = providerOf(page)
  const sync = useMemo(() => {
    // Words of the moment it is said (the provider may be known by then).
    const tell = (event: string, x?: BulkRun | ApiError) => {
      const t = syncWords(page.locale, kind, page.format.count)
      page.announce(
        x instanceof ApiError
          ? problem(page, t, x).join(' ')
          : t[event as 'ended'](x as BulkRun, providerOf(page)),
      )
      if (event === 'ended') void page.badges.refresh()
    }
    return createBulkSync(bulkApi(page.api), kind, tell)
  }, [page, kind])
  useEffect(() => {
    sync.resume()
    return () => sync.dispose()
  }, [sync])

  // When a change removes the control that had the focus, the focus goes to the new view's main
  // one; it is never taken from elsewhere on the page. (Read in render: the old view is still there.)
  const box = useRef<HTMLDivElement>(null)
  const held = useRef(false)
  const inside = () => {
    const el = box.current
    const active = (el?.getRootNode() as ShadowRoot | undefined)?.activeElement
    return !!active && !!el?.contains(active)
  }
  held.current = inside()
  useEffect(() => {
    if (held.current && !inside()) box.current?.querySelector<HTMLElement>('[data-focus]')?.focus()
  })

  const v = sync.view.value
  /** A step's main action (it takes the focus, and waits while busy) or a quiet one. */
  const button = (label: string, go: () => void, main?: boolean) => (
    <button
      type="button"
      class={main ? 'primary' : 'quiet'}
      data-focus={main || undefined}
      aria-disabled={main && v.busy}
      onClick={() => v.busy || go()}
    >
      {label}
    </button>
  )
  let view
  if (v.at === 'confirm')
    view = (
      <div
        key="confirm"
        role="group"
        aria-label={w.sync}
        onKeyDown={(e) => e.key === 'Escape' && sync.dismiss()}
      >
        <p>{w.confirm(v.preview.summary, provider)}</p>
        <div class="actions">
          {button(w.start, sync.start, true)}
          {button(w.cancel, sync.dismiss)}
        </div>
      </div>
    )
  else if (v.at === 'running') {
    const p = v.run.progress
    const text = w.progress(p)
    view = (
      <div key="running" role="group" aria-label={w.syncing} tabIndex={-1} data-focus>
        <progress
          max={p.total || 1}
          value={p.total - p.remaining}
          aria-label={w.syncing}
          aria-valuetext={text}
        />
        <p>{text}</p>
        {v.cancelling ? <p class="muted">{w.cancelling()}</p> : button(w.stop, sync.cancel)}
      </div>
    )
  } else if (v.at === 'done') {
    const failed = v.run.progress.failed > 0
    const href = failed && historyUrl ? failuresUrl(historyUrl, v.run.id) : null
    view = (
      <div key="done" class={`note ${failed ? 'warn' : 'ok'}`} tabIndex={-1} data-focus>
        <p>{w.ended(v.run, provider)}</p>
        {failed && <p>{href ? <a href={href}>{w.failures}</a> : w.whereFailures}</p>}
        {button(w.dismiss, sync.dismiss)}
      </div>
    )
  } else if (v.at === 'error')
    view = (
      <div key="error" class="note bad">
        {problem(page, w, v.error).map((line) => (
          <p dir="auto">{line}</p>
        ))}
        {v.error.requestId && (
          <p class="ref">
            {page.words.supportRef}: <code>{v.error.requestId}</code>
          </p>
        )}
        <div class="actions">
          {button(w.again, sync.again, true)}
          {button(w.dismiss, sync.dismiss)}
        </div>
      </div>
    )
  else
    view = (
      <div key="idle">
        {button(w.sync, sync.ask, true)}
        {v.busy && (
          <p class="muted busy">
            <span class="spinner" aria-hidden="true" />
            {w.checking}
          </p>
        )}
        {v.nothing && <p class="note">{w.nothing(0, provider)}</p>}
      </div>
    )
  // Each step's view has its key: no button is reused for another action under the focus.
  return (
    <div class="frame sync" ref={box}>
      {view}
    </div>
  )
}

const CSS = `.sync>div{display:flex;flex-direction:column;align-items:flex-start;gap:.5em;max-width:32em}
.sync p,.sync .actions{margin:0}progress{width:100%;height:.8em;accent-color:var(--a)}
.note{border-inline-start:3px solid var(--b);padding-inline-start:.6em;overflow-wrap:anywhere}
.ok{border-color:var(--ok)}.warn{border-color:var(--warn)}.bad{border-color:var(--bad)}
[tabindex]:focus{outline:none}[tabindex]:focus-visible{outline:2px solid var(--f);outline-offset:2px}`

/** What install.ts loads when the first such element is on the page. */
export const element: ElementModule = { view: SyncButton, sheet: makeSheet(CSS) }
