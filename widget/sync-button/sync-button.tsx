import { useEffect, useMemo, useRef } from 'preact/hooks'
import type { BulkKind } from '../../shared/bulk.ts'
import { Busy, Problem, TRY_AGAIN } from '../components/problem.tsx'
import type { Attributes, ElementModule } from '../elements/define-element.tsx'
import { useWatch } from '../state/hooks.ts'
import { usePage } from '../state/page-context.ts'
import { makeSheet } from '../styles/make-sheet.ts'
import { partsSheet } from '../styles/parts-sheet.ts'
import { createBulkSync } from './bulk-sync.ts'
import { NOUN } from './words.ts'

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
function SyncButton({ kind: attr, historyUrl }: Attributes) {
  const page = usePage()
  // `kind="credit-notes"` is the API's `credit_notes`; no kind, or one unknown, syncs invoices.
  const k = attr?.replace('-', '_') ?? ''
  const kind = (Object.hasOwn(NOUN, k) ? k : 'invoices') as BulkKind
  const sync = useMemo(() => createBulkSync(page, kind), [page, kind])
  useWatch(sync.view)
  useEffect(() => {
    sync.resume()
    return sync.dispose
  }, [sync])

  // When a change removes the control that had the focus, the focus goes to the new view's main
  // one; it is never taken from elsewhere on the page. (Read in render: the old view is still there.)
  const box = useRef<HTMLDivElement>(null)
  const held = useRef(false)
  const inside = () => box.current?.contains((box.current.getRootNode() as ShadowRoot).activeElement) ?? false
  held.current = inside()
  useEffect(() => {
    if (held.current && !inside()) box.current!.querySelector<HTMLElement>('[data-focus]')?.focus()
  })

  const w = sync.words()
  const provider = sync.provider() || undefined
  const v = sync.view.value
  /** A step's main action (it takes the focus, and waits while busy) or a quiet one. */
  const button = (label: string, go: () => void, main?: boolean) => (
    <button
      type="button"
      class={main ? 'primary' : 'quiet'}
      data-focus={main}
      aria-disabled={main && v.busy}
      onClick={() => v.busy || go()}
    >
      {label}
    </button>
  )
  const dismiss = button(page.words.dismiss, sync.dismiss)
  let view
  if (v.at === 'confirm')
    view = (
      <div key="c" role="group" aria-label={w.sync} onKeyDown={(e) => e.key === 'Escape' && sync.dismiss()}>
        <p>{w.confirm(v.preview.summary, provider)}</p>
        <div class="actions">
          {button(w.start, sync.start, true)}
          {button(page.words.cancel, sync.dismiss)}
        </div>
      </div>
    )
  else if (v.at === 'running') {
    const p = v.run.progress
    const text = w.progress(p)
    view = (
      <div key="r" role="group" aria-label={w.syncing} tabIndex={-1} data-focus>
        <progress
          max={p.total || 1}
          value={p.total - p.remaining}
          aria-label={w.syncing}
          aria-valuetext={text}
        />
        <p>{text}</p>
        {v.cancelling ? <p class="muted">{w.cancelling}</p> : button(w.stop, sync.cancel)}
      </div>
    )
  } else if (v.at === 'done') {
    const failed = v.run.progress.failed > 0
    const href = failed && historyUrl && failuresUrl(historyUrl, v.run.id)
    view = (
      <div key="d" class={`alert ${failed ? 'warn' : 'ok'}`} tabIndex={-1} data-focus>
        <p>{w.ended(v.run, provider)}</p>
        {failed && <p>{href ? <a href={href}>{w.failures}</a> : w.whereFailures}</p>}
        {dismiss}
      </div>
    )
  } else if (v.at === 'error')
    view = (
      <Problem key="e" error={v.error} alert={false}>
        {button(TRY_AGAIN, sync.again, true)}
        {dismiss}
      </Problem>
    )
  else
    view = (
      <div key="i">
        {button(w.sync, sync.ask, true)}
        {v.busy && <Busy text={w.checking} />}
        {v.nothing && <p class="alert">{w.nothing(provider)}</p>}
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
[tabindex]:focus{outline:none}[tabindex]:focus-visible{outline:2px solid var(--f);outline-offset:2px}`

/** What install.ts loads when the first such element is on the page. */
export const element: ElementModule = { view: SyncButton, sheets: [partsSheet(), makeSheet(CSS)] }
