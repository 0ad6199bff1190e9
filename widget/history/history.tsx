import { useEffect, useRef, useState } from 'preact/hooks'
import type { Attributes, ElementModule } from '../elements/define-element.tsx'
import { usePage } from '../state/page-context.ts'
import { useWatch } from '../state/hooks.ts'
import { Detail } from './detail.tsx'
import { Filters } from './filters.tsx'
import { Runs } from './runs.tsx'
import { historySheet } from './sheet.ts'
import { createHistoryState } from './state.ts'
import { partsSheet } from '../styles/parts-sheet.ts'

/** `kind="credit-notes"` (the sync button's spelling) or `credit_note` (the API's); else none. */
const pick = <T extends object>(all: T, value: string | null | undefined) => {
  const key = value?.toLowerCase().replace(/-/g, '_').replace(/s$/, '') ?? ''
  return Object.hasOwn(all, key) ? (key as keyof T) : undefined
}
/** A plain link opens a run with `#ledgerlink-run=<id>`. */
const runInUrl = () => /^#ledgerlink-run=(\w+)/.exec(location.hash)?.[1]

/**
 * `<ledgerlink-sync-history kind status run>`: the runs with their filters, or one run opened.
 * The list stays in the page (hidden) while a run is open, so Back returns to it as it was, focus
 * on the button that opened the run.
 */
function SyncHistory({ kind, status, run }: Attributes) {
  const page = usePage()
  const [s] = useState(() => createHistoryState(page))
  const { w } = s
  useWatch(...s.all)
  const heading = useRef<HTMLHeadingElement>(null)
  const opener = useRef<HTMLElement | null>(null)
  const focusDetail = useRef(false)
  const returning = useRef(false)
  const openId = s.opened.value?.id

  useEffect(() => {
    void s.filter({ kind: pick(w.kinds, kind), status: pick(w.status, status) })
  }, [kind, status])
  useEffect(() => {
    const id = run ?? runInUrl()
    if (id) void s.open(id)
  }, [run])
  useEffect(() => {
    const onHash = () => {
      const id = runInUrl()
      if (id) {
        focusDetail.current = true
        opener.current = null
        void s.open(id)
      }
    }
    addEventListener('hashchange', onHash)
    return () => removeEventListener('hashchange', onHash)
  }, [])
  useEffect(() => {
    if (openId || !returning.current) return
    returning.current = false
    ;(opener.current?.isConnected ? opener.current : heading.current)?.focus()
  }, [openId])

  return (
    <section
      class="panel"
      aria-label={w.title}
      aria-busy={!openId && !s.list.value.runs && !s.list.value.failure}
    >
      <h2 ref={heading} tabIndex={-1}>
        {w.title}
      </h2>
      <div hidden={!!openId}>
        <Filters s={s} />
        <Runs
          s={s}
          onOpen={(runId, e) => {
            opener.current = e.currentTarget as HTMLElement
            focusDetail.current = true
            void s.open(runId)
          }}
        />
      </div>
      {openId && (
        <Detail
          s={s}
          focus={focusDetail}
          onBack={() => {
            returning.current = true
            s.close()
          }}
        />
      )}
    </section>
  )
}

/** What install.ts loads when the first such element is on the page. */
export const element: ElementModule = { view: SyncHistory, sheets: [partsSheet(), historySheet()] }
