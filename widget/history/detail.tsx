import type { RefObject } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import type { HistoryItem } from '../../shared/history.ts'
import { usePage } from '../state/page-context.ts'
import { RunFacts, Said } from './runs.tsx'
import { canRetry, itemKey, type HistoryState } from './state.ts'
import { historyWords } from './words.ts'

const NOW_TONE = { synced: 'ok', error: 'bad', outdated: 'warn', pending: 'info', not_synced: '' }

/**
 * One run and every record that failed in it, each with Retry; Retry all below. Focus goes to its
 * heading when the user opened it (`focus`), and back to it when the button pressed is gone (a
 * retried record is on its way and has no Retry any more).
 */
export function Detail(props: { s: HistoryState; focus: RefObject<boolean>; onBack: () => void }) {
  const { s, focus } = props
  const page = usePage()
  const w = historyWords(page.locale)
  const { id, run, failure, busy, refused } = s.opened.value!
  const heading = useRef<HTMLHeadingElement>(null)
  const pressed = useRef<HTMLElement | null>(null)

  useEffect(() => {
    if ((run || failure) && focus.current) {
      focus.current = false
      heading.current?.focus()
    }
  }, [run, failure])
  useEffect(() => {
    if (busy || !pressed.current) return
    if (!pressed.current.isConnected) heading.current?.focus()
    pressed.current = null
  })

  const retry = (e: Event, item?: HistoryItem) => {
    pressed.current = e.currentTarget as HTMLElement
    void s.retry(item)
  }
  const retryButton = (text: string, item?: HistoryItem) => (
    <button
      type="button"
      class={item ? '' : 'primary'}
      aria-disabled={!!busy || undefined}
      onClick={(e) => retry(e, item)}
    >
      {text}
      {item && <span class="sr-only"> {item.label}</span>}
    </button>
  )
  const title = (
    <h3 ref={heading} tabIndex={-1} dir="auto">
      {run ? w.trigger(run) : failure ? failure.message : w.opening}
    </h3>
  )

  return (
    <div>
      <button type="button" class="link" onClick={props.onBack}>
        <span aria-hidden="true">← </span>
        {w.back}
      </button>
      {run ? <RunFacts run={run} title={title} /> : title}
      {failure && <Said p={{ ...failure, message: '' }} retry={() => void s.open(id)} />}
      {run && run.items.length === 0 && <p>{w.nothingFailed}</p>}
      {run && run.items.length > 0 && (
        <>
          <h4>{w.whatFailed}</h4>
          <ul class="items">
            {run.items.map((i) => (
              <li key={itemKey(i)}>
                <div class="top">
                  <strong dir="auto">{i.label}</strong>
                  <span class={`pill ${NOW_TONE[i.now]}`}>
                    {w.now}
                    {page.words.label[i.now]}
                  </span>
                </div>
                <p dir="auto">{i.message}</p>
                <p dir="auto">{i.action}</p>
                {i.providerMessage && (
                  <p class="small">
                    {w.said(run.provider)} “<span dir="auto">{i.providerMessage}</span>”
                  </p>
                )}
                {i.correlationId && (
                  <p class="ref">
                    {page.words.supportRef}: <code>{i.correlationId}</code>
                  </p>
                )}
                {canRetry(i) && retryButton(page.words.retry, i)}
                {refused?.key === itemKey(i) && <Said p={refused} />}
              </li>
            ))}
          </ul>
          {run.items.some(canRetry) && <div class="actions">{retryButton(w.retryAll)}</div>}
          {refused?.key === 'all' && <Said p={refused} />}
        </>
      )}
    </div>
  )
}
