import type { Connection } from '../../shared/api/connections.ts'
import type { Status } from '../../shared/api/sessions.ts'
import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import type { ApiError } from '../api/api-error.ts'
import { asError } from '../components/problem.tsx'
import { observable } from '../elements/observable.ts'
import type { ApiClient } from '../api/client.ts'
import type { Browser, Popup } from './browser.ts'
import { fromMessage, fromReturnUrl, withoutResult, type ConsentResult } from './consent-result.ts'

import type { Messages } from '../i18n.ts'
import type { ConsentMode } from '../runtime.ts'

export type { ConsentMode }

/** What the panel shows, derived from the values below. */
export type View = 'loading' | 'failed' | 'connecting' | 'choose' | 'none' | Connection['status']

export type Dialog = { kind: 'disconnect' } | { kind: 'switch'; provider: ProviderId }

/** The result of a consent shown above the panel (success shows as the connection itself). */
export type Notice = { kind: 'cancelled'; provider: ProviderId } | { kind: 'failed'; code: string }

/** Says a change once through the page's live region, in the panel's words (`announce` in i18n.ts). */
export type Announce = (
  kind: keyof Messages['announce'],
  provider?: ProviderId,
  organisation?: string,
) => void

export interface ConnectionStateDeps {
  api: ApiClient
  browser: Browser
  /** Overrides, for every provider, how its consent opens (default: each provider's own, PROVIDERS[p].consent). */
  consent?: ConsentMode | undefined
  announce?: Announce
}

const POPUP_POLL_MS = 500

/**
 * The connection panel's state: observables changed only by the actions returned beside them. One per
 * page, shared by every `<ledgerlink-connection>` on it.
 */
export function createConnectionState({ api, browser, consent, announce = () => {} }: ConnectionStateDeps) {
  const status = observable<Status | null>(null)
  const loadError = observable<ApiError | null>(null)
  const actionError = observable<ApiError | null>(null)
  /** A consent under way; `finishing` once it came back and is being completed. */
  const pending = observable<{ provider: ProviderId; mode: ConsentMode; finishing?: boolean } | null>(null)
  const busy = observable(false)
  const dialog = observable<Dialog | null>(null)
  /** For the open dialog: what the connection still has to do, once read (admins only). */
  const outstanding = observable<string | null>(null)
  const notice = observable<Notice | null>(null)

  const isAdmin = () => status.value?.user.role === 'admin'

  /** Opens a confirmation, and reads what it leaves behind to say so (the dialog shows it when it comes). */
  function openDialog(d: Dialog) {
    dialog.value = d
    outstanding.value = null
    if (!isAdmin()) return
    api.outstanding().then(
      (work) => {
        if (dialog.value === d) outstanding.value = work.summary
      },
      () => undefined, // the dialog says it in general words
    )
  }
  const view = (): View => {
    if (pending.value) return 'connecting'
    const s = status.value
    if (!s) return loadError.value ? 'failed' : 'loading'
    if (s.pendingChoice) return 'choose'
    return s.connection?.status ?? 'none'
  }

  let popup: Popup | null = null
  let attempt = 0
  let stopWatching = () => {}
  let started = false

  function endConsent(closePopup: boolean) {
    stopWatching()
    if (closePopup && popup && !popup.closed) popup.close()
    popup = null
    pending.value = null
  }

  /** Says what changed between two statuses, when it is something a user cares about. */
  function announceStatus(before: Status | null, after: Status) {
    const c = after.connection
    if (after.pendingChoice && !before?.pendingChoice) announce('choose', after.pendingChoice.provider)
    else if (!c) {
      if (before?.connection) announce('notConnected')
    } else if (c.status !== before?.connection?.status || c.id !== before.connection.id) {
      if (c.status !== 'active') announce(c.status === 'error' ? 'attention' : 'needsReconnect', c.provider)
      else if (before) announce('connected', c.provider, c.organisation.name)
    }
  }

  /** Reloads the status; `afterConsent` announces the outcome even on the first load (back from a redirect). */
  async function load(afterConsent = false) {
    try {
      const next = await api.status()
      const before = afterConsent ? { ...next, connection: null, pendingChoice: null } : status.value
      announceStatus(before, next)
      status.value = next
      loadError.value = null
    } catch (e) {
      loadError.value = asError(e)
    }
  }

  /**
   * The consent came back authorised: nothing is connected until this session (or, after a
   * redirect, this user) hands the secret back. Then the status shows the connection or the choice.
   */
  async function complete(result: Extract<ConsentResult, { outcome: 'authorised' }>, mode: ConsentMode) {
    const mine = ++attempt
    pending.value = { provider: result.provider, mode, finishing: true }
    try {
      await api.completeConnection({ attemptId: result.attemptId, secret: result.secret })
      await load(true)
    } catch (e) {
      actionError.value = asError(e)
      await load()
    } finally {
      if (mine === attempt) pending.value = null
    }
  }

  /** How a consent ended; true when the status is reloaded because of it. */
  function finish(result: ConsentResult, mode: ConsentMode): boolean {
    endConsent(false)
    if (result.outcome === 'authorised') {
      void complete(result, mode)
      return true
    }
    const { provider } = result
    if (result.outcome === 'cancelled') {
      announce('cancelled', provider)
      notice.value = { kind: 'cancelled', provider }
      return false
    }
    notice.value = { kind: 'failed', code: result.errorCode ?? 'provider_error' }
    void load()
    return true
  }

  function onMessage(event: { origin: string; data: unknown }) {
    if (event.origin !== api.origin) return
    const result = fromMessage(event.data)
    if (result) finish(result, 'popup')
  }

  /**
   * The full-page fallback comes back with the outcome in the query string: read it, tidy the URL
   * first (the secret must not stay in the address bar or the history), then finish. True when
   * that reloads the status.
   */
  function takeRedirectOutcome(): boolean {
    const back = fromReturnUrl(browser.href())
    if (!back) return false
    browser.replaceUrl(back.tidied)
    return back.result ? finish(back.result, 'redirect') : false
  }

  /**
   * Starts consent. Runs synchronously up to the popup, so call it straight from a click handler.
   * A connection to another provider asks for confirmation first (the switch dialog).
   */
  function connect(provider: ProviderId, confirmSwitch = false) {
    const current = status.value?.connection
    if (current && current.provider !== provider && !confirmSwitch) {
      openDialog({ kind: 'switch', provider })
      return Promise.resolve()
    }
    endConsent(true)
    const mine = ++attempt
    const stale = () => mine !== attempt || !pending.value
    popup = (consent ?? PROVIDERS[provider].consent) === 'popup' ? browser.openPopup() : null
    const mode: ConsentMode = popup ? 'popup' : 'redirect'
    dialog.value = null
    notice.value = null
    actionError.value = null
    pending.value = { provider, mode }
    if (popup) announce('waiting', provider)
    const body =
      mode === 'popup' ? { provider, mode } : { provider, mode, returnTo: withoutResult(browser.href()) }
    return api.startConnection(confirmSwitch ? { ...body, confirmSwitch } : body).then(
      ({ authorizeUrl }) => {
        if (stale()) return // cancelled meanwhile
        if (!popup) return browser.navigate(authorizeUrl)
        if (popup.closed) return void finish({ outcome: 'cancelled', provider }, 'popup')
        popup.location.href = authorizeUrl
        const watched = popup
        // Closed without a message (or the provider's page cut the opener off): back to idle, and
        // re-read the status. Such a consent cannot connect: its secret never reached this page.
        stopWatching = browser.every(POPUP_POLL_MS, () => {
          if (!watched.closed) return
          endConsent(false)
          void load()
        })
      },
      (e: unknown) => {
        if (stale()) return
        const error = asError(e)
        endConsent(true)
        if (error.code !== 'provider_switch_unconfirmed') return void (actionError.value = error)
        openDialog({ kind: 'switch', provider })
        // Our status was stale (the dialog names the current connection): read it again.
        return load()
      },
    )
  }

  async function run(action: () => Promise<void>) {
    busy.value = true
    actionError.value = null
    notice.value = null
    try {
      await action()
    } catch (e) {
      actionError.value = asError(e)
    } finally {
      busy.value = false
    }
  }

  return {
    /** Every value the views read: the panel watches them all (state/hooks.ts). */
    all: [status, loadError, actionError, pending, busy, dialog, outstanding, notice],
    status,
    loadError,
    actionError,
    pending,
    busy,
    dialog,
    outstanding,
    notice,
    isAdmin,
    view,
    /** Loads the status once per page, listens for the popup's message, reads a redirect's outcome. */
    start() {
      if (started) return
      started = true
      browser.onMessage(onMessage)
      const reloading = takeRedirectOutcome()
      if (!status.value && !reloading) void load()
    },
    load,
    connect,
    reconnect: () => connect(status.value!.connection!.provider),
    /** The switch dialog's confirmation. */
    confirmSwitch: () => connect((dialog.value as Extract<Dialog, { kind: 'switch' }>).provider, true),
    cancelConnect: () => endConsent(true),
    choose: (attemptId: string, organisationId: string) =>
      run(async () => {
        const connection = await api.chooseOrganisation({ attemptId, organisationId })
        const before = status.value!
        const next = { ...before, connection, pendingChoice: null }
        announceStatus(before, next)
        status.value = next
      }),
    askDisconnect: () => openDialog({ kind: 'disconnect' }),
    closeDialog: () => (dialog.value = null),
    disconnect: () =>
      run(async () => {
        const { provider } = status.value!.connection!
        await api.disconnect()
        dialog.value = null
        status.value = { ...status.value!, connection: null }
        announce('disconnected', provider)
        await load()
      }),
    dismiss: () => {
      notice.value = null
      actionError.value = null
    },
  }
}
export type ConnectionState = ReturnType<typeof createConnectionState>
