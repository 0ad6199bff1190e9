import { batch, computed, signal } from '@preact/signals'
import type { Connection } from '../../shared/api/connections.ts'
import type { Status } from '../../shared/api/sessions.ts'
import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import { ApiError } from '../api/api-error.ts'
import type { ApiClient } from '../api/client.ts'
import type { Browser, Popup } from './browser.ts'
import { fromMessage, fromReturnUrl, withoutResult, type ConsentResult } from './consent-result.ts'

import type { ConsentMode } from '../runtime.ts'

export type { ConsentMode }

/** What the panel shows, derived from the signals below. */
export type View = 'loading' | 'failed' | 'connecting' | 'choose' | 'none' | Connection['status']

export type Dialog = { kind: 'disconnect' } | { kind: 'switch'; provider: ProviderId }

/** The result of a consent shown above the panel (success shows as the connection itself). */
export type Notice = { kind: 'cancelled'; provider: ProviderId } | { kind: 'failed'; code: string }

/** Said once through the page's live region (the runtime turns it into words). */
export type Announcement =
  | { kind: 'connected'; provider: ProviderId; organisation: string }
  | {
      kind: 'disconnected' | 'choose' | 'needsReconnect' | 'attention' | 'waiting' | 'cancelled'
      provider: ProviderId
    }
  | { kind: 'notConnected' }

export interface ConnectionStateDeps {
  api: ApiClient
  browser: Browser
  /** Overrides, for every provider, how its consent opens (default: each provider's own, PROVIDERS[p].consent). */
  consent?: ConsentMode | undefined
  /** Says a change through the page's one live region. */
  announce?: (a: Announcement) => void
}

const POPUP_POLL_MS = 500

/** What changed between two statuses, worth saying aloud; null when nothing a user cares about did. */
function describeChange(before: Status | null, after: Status): Announcement | null {
  const c = after.connection
  if (after.pendingChoice && !before?.pendingChoice)
    return { kind: 'choose', provider: after.pendingChoice.provider }
  if (!c) return before?.connection ? { kind: 'notConnected' } : null
  if (c.status === before?.connection?.status && c.id === before.connection.id) return null
  if (c.status === 'active')
    return before ? { kind: 'connected', provider: c.provider, organisation: c.organisation.name } : null
  return { kind: c.status === 'error' ? 'attention' : 'needsReconnect', provider: c.provider }
}

/** Any failure as an ApiError (a bug reads as `internal`). */
export const asError = (e: unknown) => (e instanceof ApiError ? e : new ApiError('internal', 0))

/**
 * The connection panel's state: signals changed only by the actions returned beside them. One per
 * page, shared by every `<ledgerlink-connection>` on it.
 */
export function createConnectionState({ api, browser, consent, announce = () => {} }: ConnectionStateDeps) {
  const status = signal<Status | null>(null)
  const loadError = signal<ApiError | null>(null)
  const actionError = signal<ApiError | null>(null)
  /** A consent under way; `finishing` once it came back and is being completed. */
  const pending = signal<{ provider: ProviderId; mode: ConsentMode; finishing?: boolean } | null>(null)
  const busy = signal(false)
  const dialog = signal<Dialog | null>(null)
  /** For the open dialog: what the connection still has to do, once read (admins only). */
  const outstanding = signal<string | null>(null)
  const notice = signal<Notice | null>(null)

  const isAdmin = computed(() => status.value?.user.role === 'admin')

  /** Opens a confirmation, and reads what it leaves behind to say so (the dialog shows it when it comes). */
  function openDialog(d: Dialog) {
    dialog.value = d
    outstanding.value = null
    if (!isAdmin.value) return
    api.outstanding().then(
      (work) => {
        if (dialog.value === d) outstanding.value = work.summary
      },
      () => undefined, // the dialog says it in general words
    )
  }
  const view = computed<View>(() => {
    if (pending.value) return 'connecting'
    const s = status.value
    if (!s) return loadError.value ? 'failed' : 'loading'
    if (s.pendingChoice) return 'choose'
    return s.connection?.status ?? 'none'
  })

  let popup: Popup | null = null
  let attempt = 0
  let stopWatching = () => {}
  let started = false
  let stopListening = () => {}

  function endConsent(closePopup: boolean) {
    stopWatching()
    if (closePopup && popup && !popup.closed) popup.close()
    popup = null
    pending.value = null
  }

  function announceStatus(before: Status | null, after: Status) {
    const next = describeChange(before, after)
    if (next) announce(next)
  }

  /** Reloads the status; `afterConsent` announces the outcome even on the first load (back from a redirect). */
  async function load(afterConsent = false) {
    try {
      const next = await api.status()
      batch(() => {
        const before = afterConsent ? { ...next, connection: null, pendingChoice: null } : status.value
        announceStatus(before, next)
        status.value = next
        loadError.value = null
      })
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
    batch(() => {
      if (result.outcome === 'cancelled') announce({ kind: 'cancelled', provider })
      notice.value =
        result.outcome === 'cancelled'
          ? { kind: 'cancelled', provider }
          : { kind: 'failed', code: result.errorCode ?? 'provider_error' }
    })
    if (result.outcome === 'failed') void load()
    return result.outcome === 'failed'
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
    batch(() => {
      dialog.value = null
      notice.value = null
      actionError.value = null
      pending.value = { provider, mode }
      if (popup) announce({ kind: 'waiting', provider })
    })
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
        const unconfirmed = error.code === 'provider_switch_unconfirmed'
        batch(() => {
          endConsent(true)
          if (unconfirmed) openDialog({ kind: 'switch', provider })
          else actionError.value = error
        })
        // Our status was stale (the dialog names the current connection): read it again.
        if (unconfirmed) return load()
      },
    )
  }

  async function run(action: () => Promise<void>) {
    batch(() => {
      busy.value = true
      actionError.value = null
      notice.value = null
    })
    try {
      await action()
    } catch (e) {
      actionError.value = asError(e)
    } finally {
      busy.value = false
    }
  }

  return {
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
      stopListening = browser.onMessage(onMessage)
      const reloading = takeRedirectOutcome()
      if (!status.value && !reloading) void load()
    },
    stop() {
      stopListening()
      endConsent(true)
      started = false
    },
    load,
    connect,
    reconnect: () => {
      const c = status.value?.connection
      return c ? connect(c.provider) : Promise.resolve()
    },
    confirmSwitch() {
      const d = dialog.value
      return d?.kind === 'switch' ? connect(d.provider, true) : Promise.resolve()
    },
    cancelConnect: () => endConsent(true),
    choose: (attemptId: string, organisationId: string) =>
      run(async () => {
        const connection = await api.chooseOrganisation({ attemptId, organisationId })
        const before = status.value
        if (before) {
          const next = { ...before, connection, pendingChoice: null }
          announceStatus(before, next)
          status.value = next
        }
      }),
    askDisconnect: () => openDialog({ kind: 'disconnect' }),
    closeDialog: () => (dialog.value = null),
    disconnect: () =>
      run(async () => {
        const provider = status.value?.connection?.provider
        await api.disconnect()
        batch(() => {
          dialog.value = null
          if (status.value) status.value = { ...status.value, connection: null }
          if (provider) announce({ kind: 'disconnected', provider })
        })
        await load()
      }),
    dismiss() {
      notice.value = null
      actionError.value = null
    },
  }
}
export type ConnectionState = ReturnType<typeof createConnectionState>
