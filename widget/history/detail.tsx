import type { RefObject } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import type { HistoryItem } from '../../shared/history.ts'
import { Problem, wordsOf } from '../components/problem.tsx'
import { RunFacts } from './runs.tsx'
import { canRetry, itemKey, type HistoryState } from './state.ts'

const NOW_TONE = { synced: 'ok', error: 'bad', outdated: 'warn', pending: 'info', not_synced: '' }

/**
 * One run and every record that failed in it, each with Retry; Retry all below. Focus goes to its
 * heading when the user opened it (`focus`), and back to it when the button pressed is gone (a
 * retried record is on its way and has no Retry any more).
 */
export function Detail({
  s,
  focus,
  onBack,
}: {
  s: HistoryState
  focus: RefObject<boolean>
  onBack: () => void
}) {
  const { w } = s
  const { words } = s.page
  const { id, run, failure, busy, refused } = s.opened.value!
  const heading = useRef<HTMLHeadingElement>(null)
  const pressed = useRef<HTMLElement | null>(null)

  useEffect(() => {
    if ((run || failure) && focus.current) {
      focus.current = false
      heading.current!.focus()
    }
  }, [run, failure])
  useEffect(() => {
    if (busy || !pressed.current) return
    if (!pressed.current.isConnected) heading.current!.focus()
    pressed.current = null
  })

  const retryButton = (text: string, item?: HistoryItem) => (
    <button
      type="button"
      class={item ? '' : 'primary'}
      aria-disabled={!!busy || undefined}
      onClick={(e) => {
        pressed.current = e.currentTarget
        void s.retry(item)
      }}
    >
      {text}
      {item && <span class="sr-only"> {item.label}</span>}
    </button>
  )
  const refusal = (key: string) => refused?.[1] === key && <Problem error={refused[0]} alert={false} />
  const title = (
    <h3 ref={heading} tabIndex={-1} dir="auto">
      {run ? w.trigger(run) : failure ? wordsOf(failure).message : w.opening}
    </h3>
  )

  return (
    <div>
      <button type="button" class="link" onClick={onBack}>
        <span aria-hidden="true">← </span>
        {w.back}
      </button>
      {run ? <RunFacts s={s} run={run} title={title} /> : title}
      {failure && <Problem error={failure} titled onRetry={() => void s.open(id)} />}
      {run &&
        (run.items.length ? (
          <>
            <h4>{w.whatFailed}</h4>
            <ul class="items">
              {run.items.map((i) => (
                <li key={itemKey(i)}>
                  <div class="top">
                    <strong dir="auto">{i.label}</strong>
                    <span class={`pill ${NOW_TONE[i.now]}`}>
                      {w.now}
                      {words.label[i.now]}
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
                      {words.supportRef}: <code>{i.correlationId}</code>
                    </p>
                  )}
                  {canRetry(i) && retryButton(words.retry, i)}
                  {refusal(itemKey(i))}
                </li>
              ))}
            </ul>
            {run.items.some(canRetry) && <div class="actions">{retryButton(w.retryAll)}</div>}
            {refusal('all')}
          </>
        ) : (
          <p>{w.nothingFailed}</p>
        ))}
    </div>
  )
}
