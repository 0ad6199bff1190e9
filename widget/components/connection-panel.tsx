import { useRuntime } from '../state/context.ts'
import { ConfirmDialogs } from './confirm-dialogs.tsx'
import { ConnectButtons } from './connect-buttons.tsx'
import { ConnectionCard } from './connection-card.tsx'
import { OrganisationPicker } from './organisation-picker.tsx'
import { Problem } from './problem.tsx'

/** The body of the panel for the current view. */
function Body() {
  const { state, i18n } = useRuntime()
  const { t } = i18n
  const s = state.status.value
  switch (state.view.value) {
    case 'loading':
      return (
        <p class="muted busy">
          <span class="spinner" aria-hidden="true" />
          {t.loading}
        </p>
      )
    case 'failed':
      return <Problem error={state.loadError.value!} onRetry={() => void state.load()} />
    case 'connecting': {
      const { provider, mode, finishing } = state.pending.value!
      if (finishing)
        return (
          <p class="lead busy">
            <span class="spinner" aria-hidden="true" />
            {t.finishing(provider)}
          </p>
        )
      return (
        <div class="connecting">
          <p class="lead busy">
            <span class="spinner" aria-hidden="true" />
            {mode === 'popup' ? t.waiting(provider) : t.redirecting(provider)}
          </p>
          {mode === 'popup' && (
            <>
              <p class="muted">{t.waitingHint(provider)}</p>
              <div class="actions">
                <button type="button" class="quiet" onClick={() => state.cancelConnect()}>
                  {t.cancel}
                </button>
              </div>
            </>
          )}
        </div>
      )
    }
    case 'choose':
      return <OrganisationPicker choice={s!.pendingChoice!} />
    case 'none':
      return state.isAdmin.value ? (
        <>
          <p class="lead">{t.noneLead}</p>
          <ConnectButtons />
          <p class="muted small">{t.noneHint}</p>
        </>
      ) : (
        <>
          <p class="lead">{t.noneMember}</p>
          <p class="muted">{t.askAdmin(s!.tenant.name)}</p>
        </>
      )
    default:
      return <ConnectionCard connection={s!.connection!} />
  }
}

/** The outcome of the last consent, and the last failed action, above the body. */
function Notices() {
  const { state, i18n } = useRuntime()
  const n = state.notice.value
  const error = state.actionError.value
  const dismiss = () => state.dismiss()
  return (
    <>
      {n?.kind === 'cancelled' && (
        <div class="alert info">
          <p>{i18n.t.cancelled(n.provider)}</p>
          <div class="actions">
            <button type="button" class="quiet" onClick={dismiss}>
              {i18n.t.dismiss}
            </button>
          </div>
        </div>
      )}
      {n?.kind === 'failed' && <Problem error={{ code: n.code }} onDismiss={dismiss} />}
      {error && !state.dialog.value && <Problem error={error} onDismiss={dismiss} />}
    </>
  )
}

/**
 * `<ledgerlink-connection>`: connect, choose the organisation, see the status, reconnect and
 * disconnect. Members see the status without the admin buttons.
 */
export function ConnectionPanel() {
  const { state, i18n } = useRuntime()
  const dialogOpen = state.dialog.value !== null
  return (
    <section
      class="panel"
      aria-label={i18n.t.region}
      aria-busy={state.view.value === 'loading'}
      tabIndex={-1}
      data-focus-home
    >
      <div class="content" inert={dialogOpen}>
        <Notices />
        <Body />
      </div>
      <ConfirmDialogs />
    </section>
  )
}
