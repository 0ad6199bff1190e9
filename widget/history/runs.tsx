import type { ComponentChildren } from 'preact'
import type { HistoryRun } from '../../shared/history.ts'
import { PROVIDERS } from '../../shared/providers.ts'
import { usePage } from '../state/page-context.ts'
import type { HistoryState, Problem } from './state.ts'
import { historyWords } from './words.ts'

const TONE = { succeeded: 'ok', partial: 'warn', failed: 'bad' }
const DAY_MS = 86_400_000

/** A run's facts under its title: status, when it finished, where it went, its counts and length. */
export function RunFacts({ run, title }: { run: HistoryRun; title: ComponentChildren }) {
  const { format, locale } = usePage()
  const w = historyWords(locale)
  const at = run.finishedAt
  return (
    <>
      <div class="top">
        {title}
        <span class={`pill ${TONE[run.status]}`}>{w.status[run.status]}</span>
        <time class="muted small" dateTime={at}>
          {format.dateTime(at)}
          {Math.abs(format.now() - Date.parse(at)) < DAY_MS && ` (${format.relative(at)})`}
        </time>
      </div>
      <p class="muted small">
        {PROVIDERS[run.provider].name} · <span dir="auto">{run.organisation}</span>
      </p>
      <p class="small">
        {w.counts(run)} · {w.took(run.durationMs)}
      </p>
    </>
  )
}

/** A failed call in the server's words (or ours when it could not answer), with a way out. */
export function Said({ p, retry }: { p: Problem; retry?: () => void }) {
  const page = usePage()
  return (
    <div class="note">
      {p.message && <p dir="auto">{p.message}</p>}
      {p.action && <p dir="auto">{p.action}</p>}
      {p.ref && (
        <p class="ref">
          {page.words.supportRef}: <code>{p.ref}</code>
        </p>
      )}
      {retry && (
        <button type="button" onClick={retry}>
          {historyWords(page.locale).tryAgain}
        </button>
      )}
    </div>
  )
}

/** The runs, newest first, their empty and failed states, and Load more. */
export function Runs({ s, onOpen }: { s: HistoryState; onOpen: (id: string, e: Event) => void }) {
  const { format, locale } = usePage()
  const w = historyWords(locale)
  const { runs, failure, next, more } = s.list.value
  if (!runs)
    return failure ? (
      <Said p={failure} retry={() => void s.load()} />
    ) : (
      <p class="muted busy">
        <span class="spinner" aria-hidden="true" />
        {w.loading}
      </p>
    )
  if (runs.length === 0) {
    const filtered = Object.values(s.filters.value).some(Boolean)
    return (
      <p>
        <strong>{filtered ? w.noMatch : w.empty}</strong>
        {!filtered && <span class="muted"> {w.emptyHint}</span>}
      </p>
    )
  }
  return (
    <>
      <ol class="runs" aria-label={w.runs}>
        {runs.map((r) => (
          <li key={r.id}>
            <RunFacts run={r} title={<strong>{w.trigger(r)}</strong>} />
            {r.failed > 0 && (
              <button type="button" class="link" onClick={(e) => onOpen(r.id, e)}>
                {w.whatFailed}
                <span class="sr-only">
                  : {w.trigger(r)}, {format.dateTime(r.finishedAt)}
                </span>
              </button>
            )}
          </li>
        ))}
      </ol>
      {failure && <Said p={failure} />}
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
