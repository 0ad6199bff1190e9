import { useEffect, useState } from 'preact/hooks'
import type { Connection } from '../../shared/api/connections.ts'
import type { Switch } from '../../shared/settings.ts'
import { Busy, Problem } from '../components/problem.tsx'
import { useRuntime } from '../state/context.ts'
import { useUid, useWatch } from '../state/hooks.ts'
import { useParts } from './parts.ts'

/**
 * shared/settings.ts HISTORY_DAYS_MAX (a test keeps them equal): importing a value from that module
 * would bring its zod schemas, and zod, into the chunk.
 */
export const HISTORY_DAYS_MAX = 3650

/** How long the sync history is kept: a whole number of days within the server's bounds. */
function HistoryDays({ days, admin }: { days: number; admin: boolean }) {
  const { settings: s, words: w } = useParts()
  const { i18n } = useRuntime()
  const id = useUid()
  const [text, setText] = useState(String(days))
  const [invalid, setInvalid] = useState(false)
  const max = i18n.count(HISTORY_DAYS_MAX)

  function submit(event: Event) {
    event.preventDefault()
    const n = Number(text)
    const ok = /^\d+$/.test(text.trim()) && n >= 1 && n <= HISTORY_DAYS_MAX
    setInvalid(!ok)
    if (ok && n !== days) void s.change({ historyDays: n })
  }
  return (
    <form class="days" onSubmit={submit} noValidate>
      <label for={id}>{w.historyDays}</label>
      <div class="row">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={1}
          max={HISTORY_DAYS_MAX}
          step={1}
          value={text}
          disabled={!admin}
          aria-invalid={invalid}
          aria-describedby={`${id}h${invalid ? ` ${id}e` : ''}`}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        {admin && <button type="submit">{w.save}</button>}
      </div>
      <p class="muted small" id={`${id}h`}>
        {w.historyHint(max)}
      </p>
      {invalid && (
        <p class="field-error" id={`${id}e`} role="alert">
          {w.historyError(max)}
        </p>
      )}
    </form>
  )
}

/**
 * The tenant's sync switches, each a labelled switch with a line saying what it does. Admins
 * change them (one PATCH each); members read them.
 */
export function SyncSettings({ connection: { provider } }: { connection: Connection }) {
  const { state } = useRuntime()
  const { settings: s, words: w } = useParts()
  const id = useUid()
  useWatch(...s.all)
  useEffect(s.start, [s])
  const current = s.settings.value
  if (!current)
    return s.loadError.value ? (
      <Problem error={s.loadError.value} onRetry={() => void s.load()} />
    ) : (
      <Busy text={w.loading} />
    )
  const admin = state.isAdmin()
  const asked = s.saving.value
  return (
    <>
      {!admin && <p class="muted">{w.adminOnly(state.status.value!.tenant.name)}</p>}
      <ul class="list switches" role="list">
        {Object.entries(w.switches).map(([key, [label, hint]]) => (
          <li key={key}>
            <label class="switch">
              <input
                type="checkbox"
                role="switch"
                checked={asked?.[key as Switch] ?? current[key as Switch]}
                // Not disabled while a change is on its way: that would throw the focus out.
                disabled={!admin}
                aria-describedby={id + key}
                onChange={(e) => void s.change({ [key]: e.currentTarget.checked })}
              />
              <span>{label}</span>
            </label>
            <p class="muted small" id={id + key}>
              {hint(provider)}
            </p>
          </li>
        ))}
      </ul>
      {/* Keyed by the saved value: a new answer starts the field afresh. */}
      <HistoryDays key={current.historyDays} days={current.historyDays} admin={admin} />
      {s.error.value && <Problem error={s.error.value} onDismiss={s.dismiss} />}
    </>
  )
}
