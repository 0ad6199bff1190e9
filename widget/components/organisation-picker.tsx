import { useState } from 'preact/hooks'
import type { PendingChoice } from '../../shared/api/connections.ts'
import { useRuntime } from '../state/context.ts'
import { useUid } from '../state/hooks.ts'

/** One consent covered several organisations: the admin picks the one this account uses. */
export function OrganisationPicker({ choice }: { choice: PendingChoice }) {
  const { state, i18n } = useRuntime()
  const { t } = i18n
  const id = useUid()
  const [chosen, setChosen] = useState<string | null>(null)
  const [missing, setMissing] = useState(false)
  if (!state.isAdmin()) return <p class="lead">{t.chooseMember(choice.provider)}</p>

  function submit(event: Event) {
    event.preventDefault()
    if (!chosen) return setMissing(true)
    void state.choose(choice.attemptId, chosen)
  }
  return (
    <form class="choose" onSubmit={submit} noValidate>
      <fieldset aria-describedby={missing ? `${id}-missing` : undefined}>
        <legend class="lead">{t.chooseTitle}</legend>
        <p class="muted">{t.chooseLead(choice.provider, state.status.value!.tenant.name)}</p>
        <div class="options">
          {choice.organisations.map((o) => (
            <label key={o.id} class="option">
              <input
                type="radio"
                name={`${id}-org`}
                value={o.id}
                checked={chosen === o.id}
                onChange={() => {
                  setChosen(o.id)
                  setMissing(false)
                }}
              />
              <span>{o.name}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {missing && (
        <p class="field-error" id={`${id}-missing`} role="alert">
          {t.chooseMissing}
        </p>
      )}
      <p class="muted small">{t.chooseExpires(i18n.time(choice.expiresAt))}</p>
      <div class="actions">
        <button type="submit" class="primary" disabled={state.busy.value}>
          {t.chooseSubmit}
        </button>
      </div>
    </form>
  )
}
