import { useRuntime } from '../state/context.ts'
import { useWatch } from '../state/hooks.ts'
import { ConfirmDialogs } from './confirm-dialogs.tsx'
import { ConnectButtons } from './connect-buttons.tsx'
import { ConnectionCard } from './connection-card.tsx'
import { OrganisationPicker } from './organisation-picker.tsx'
import { Busy, Problem } from './problem.tsx'

/** The body of the panel for the current view. */
function Body() {
  const { state, i18n, page } = useRuntime()
  const { t } = i18n
  const s = state.status.value
  const view = state.view()
  if (view === 'loading') return <Busy text={page.words.panelLoading} />
  if (view === 'failed') return <Problem error={state.loadError.value!} onRetry={() => void state.load()} />
  if (view === 'connecting') {
    const { provider, mode, finishing } = state.pending.value!
    if (finishing || mode !== 'popup')
      return <Busy lead text={(finishing ? t.finishing : t.redirecting)(provider)} />
    return (
      <>
        <Busy lead text={t.waiting(provider)} />
        <p class="muted">{t.waitingHint}</p>
        <div class="actions">
          <button type="button" class="quiet" onClick={state.cancelConnect}>
            {page.words.cancel}
          </button>
        </div>
      </>
    )
  }
  if (view === 'choose') return <OrganisationPicker choice={s!.pendingChoice!} />
  if (view !== 'none') return <ConnectionCard connection={s!.connection!} />
  return state.isAdmin() ? (
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
}

/**
 * `<ledgerlink-connection>`: connect, choose the organisation, see the status, reconnect and
 * disconnect. Members see the status without the admin buttons. Above the body: the outcome of
 * the last consent, and the last failed action.
 */
export function ConnectionPanel() {
  const { state, i18n, page } = useRuntime()
  useWatch(...state.all)
  const n = state.notice.value
  const error = state.actionError.value
  const dialog = state.dialog.value
  return (
    <section
      class="panel"
      aria-label={i18n.t.region}
      aria-busy={state.view() === 'loading'}
      tabIndex={-1}
      data-focus-home
    >
      <div class="content" inert={!!dialog}>
        {n?.kind === 'cancelled' && (
          <div class="alert info">
            <p>{i18n.t.cancelled(n.provider)}</p>
            <div class="actions">
              <button type="button" class="quiet" onClick={state.dismiss}>
                {page.words.dismiss}
              </button>
            </div>
          </div>
        )}
        {n?.kind === 'failed' && (
          <Problem error={{ code: n.code }} own={i18n.t.local} onDismiss={state.dismiss} />
        )}
        {error && !dialog && <Problem error={error} onDismiss={state.dismiss} />}
        <Body />
      </div>
      <ConfirmDialogs />
    </section>
  )
}
