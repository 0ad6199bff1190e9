import { PROVIDER_IDS, PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import { useRuntime } from '../state/context.ts'

/**
 * One Connect button per provider, labelled exactly as each provider's branding rules require
 * (shared/providers.ts). A click must reach `connect` synchronously: it opens the consent popup.
 */
export function ConnectButtons(props: { except?: ProviderId }) {
  const { state } = useRuntime()
  return (
    <ul class="list providers" role="list">
      {PROVIDER_IDS.filter((p) => p !== props.except).map((p) => (
        <li key={p}>
          <button
            type="button"
            class="provider"
            disabled={state.busy.value}
            onClick={() => void state.connect(p)}
          >
            <span>{PROVIDERS[p].connectLabel}</span>
            <span class="chevron" aria-hidden="true">
              →
            </span>
          </button>
        </li>
      ))}
    </ul>
  )
}
