import type { ComponentChildren } from 'preact'
import type { HistoryRun } from '../../shared/history.ts'
import { providerName } from '../badges/words.ts'
import { Busy, Problem } from '../components/problem.tsx'
import type { HistoryState } from './state.ts'

const TONE = { succeeded: 'ok', partial: 'warn', failed: 'bad' }

/** A run's facts under its title: status, when it finished, where it went, its counts and length. */
export function RunFacts({ s, run, title }: { s: HistoryState; run: HistoryRun; title: ComponentChildren }) {
  const { w } = s
  const { format } = s.page
  const at = run.finishedAt
  return (
    <>
      <div class="top">
        {title}
        <span class={`pill ${TONE[run.status]}`}>{w.status[run.status]}</span>
        <time class="muted small" dateTime={at}>
          {format.dateTime(at)}
          {Math.abs(format.now() - Date.parse(at)) < 864e5 && ` (${format.relative(at)})`}
        </time>
      </div>
      <p class="muted small">
        {providerName(run.provider)} · <span dir="auto">{run.organisation}</span>
      </p>
      <p class="small">
        {w.counts(run)} · {w.took(run.durationMs)}
      </p>
    </>
  )
}

/** The runs, newest first, their empty and failed states, and Load more. */
export function Runs({ s, onOpen }: { s: HistoryState; onOpen: (id: string, e: Event) => void }) {
  const { w } = s
  const { runs, failure, next, more } = s.list.value
  if (!runs)
    return failure ? <Problem error={failure} onRetry={() => void s.load()} /> : <Busy text={w.loading} />
  const filtered = Object.values(s.filters.value).some(Boolean)
  if (!runs.length)
    return (
      <p>
        <strong>{filtered ? w.noMatch : w.empty}</strong>
        {!filtered && <span class="muted"> {w.emptyHint}</span>}
      </p>
    )
  return (
    <>
      <ol class="runs" aria-label={w.runs}>
        {runs.map((r) => (
          <li key={r.id}>
            <RunFacts s={s} run={r} title={<strong>{w.trigger(r)}</strong>} />
            {r.failed > 0 && (
              <button type="button" class="link" onClick={(e) => onOpen(r.id, e)}>
                {w.whatFailed}
                <span class="sr-only">
                  : {w.trigger(r)}, {s.page.format.dateTime(r.finishedAt)}
                </span>
              </button>
            )}
          </li>
        ))}
      </ol>
      {failure && <Problem error={failure} />}
      {next && (
        <div class="actions">
          <button type="button" aria-disabled={more || undefined} onClick={() => void s.load('more')}>
            {w.more}
          </button>
        </div>
      )}
    </>
  )
}
