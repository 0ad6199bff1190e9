import { useRuntime } from '../state/context.ts'
import { Dialog } from './dialog.tsx'
import { Problem } from './problem.tsx'

/** The open dialog, if any: confirm a disconnect, or confirm switching to another provider. */
export function ConfirmDialogs() {
  const { state, i18n } = useRuntime()
  const { t } = i18n
  const d = state.dialog.value
  const current = state.status.value?.connection
  if (!d || !current) return null
  const close = () => state.closeDialog()
  const isSwitch = d.kind === 'switch'
  return (
    <Dialog
      title={isSwitch ? t.switchTitle(d.provider) : t.disconnectTitle(current.provider)}
      description={
        isSwitch
          ? t.switchBody(current.provider, current.organisation.name, d.provider)
          : t.disconnectBody(current.provider, current.organisation.name)
      }
      onClose={close}
    >
      {state.outstanding.value && <p>{state.outstanding.value}</p>}
      {state.actionError.value && <Problem error={state.actionError.value} />}
      <div class="actions end">
        <button type="button" class="quiet" onClick={close}>
          {t.cancel}
        </button>
        <button
          type="button"
          class={isSwitch ? 'primary' : 'danger solid'}
          disabled={state.busy.value}
          // The switch must open its popup inside this click: no await before it.
          onClick={() => void (isSwitch ? state.confirmSwitch() : state.disconnect())}
        >
          {isSwitch ? t.switchConfirm(d.provider) : t.disconnectConfirm}
        </button>
      </div>
    </Dialog>
  )
}
