import { batch, computed, signal } from '@preact/signals'
import type { Connection, OAuthResultMessage } from '../../shared/api/connections.ts'
import type { Status } from '../../shared/api/sessions.ts'
import { PROVIDERS, PROVIDER_IDS, type ProviderId } from '../../shared/providers.ts'
import { ApiError } from '../api/api-error.ts'
import type { ApiClient } from '../api/client.ts'
import type { Browser, Popup } from './browser.ts'

export type ConsentMode = 'popup' | 'redirect'
type Outcome = OAuthResultMessage['outcome']

/** What the panel shows, derived from the signals below. */
export type View = 'loading' | 'failed' | 'connecting' | 'choose' | 'none' | Connection['status']

export type Dialog = { kind: 'disconnect' } | { kind: 'switch'; provider: ProviderId }

/** The result of a consent shown above the panel (success shows as the connection itself). */
export type Notice = { kind: 'cancelled'; provider: ProviderId } | { kind: 'failed'; code: string }

/** Said once by the live region; the component turns it into words. */
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
}

const OUTCOMES: readonly Outcome[] = ['connected', 'choose', 'cancelled', 'failed']
const PARAMS = { outcome: 'ledgerlink_oauth', provider: 'ledgerlink_provider', error: 'ledgerlink_error' }
const POPUP_POLL_MS = 500

const isProvider = (p: unknown): p is ProviderId => PROVIDER_IDS.includes(p as ProviderId)

/** Checks the shape of the callback page's message (OAuthResultMessageSchema, without zod's weight). */
function asOAuthResult(data: unknown): OAuthResultMessage | null {
  const m = data as Partial<OAuthResultMessage> | null
  if (m?.type !== 'ledgerlink:oauth' || !OUTCOMES.includes(m.outcome!) || !isProvider(m.provider)) return null
  return { type: m.type, outcome: m.outcome!, provider: m.provider, errorCode: m.errorCode }
}

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

const asError = (e: unknown) => (e instanceof ApiError ? e : new ApiError('internal', 0))

/**
 * The connection panel's state: signals changed only by the actions returned beside them. One per
 * page, shared by every `<ledgerlink-connection>` on it.
 */
export function createConnectionState({ api, browser, consent }: ConnectionStateDeps) {
  const status = signal<Status | null>(null)
  const loadError = signal<ApiError | null>(null)
  const actionError = signal<ApiError | null>(null)
  const pending = signal<{ provider: ProviderId; mode: ConsentMode } | null>(null)
  const busy = signal(false)
  const dialog = signal<Dialog | null>(null)
  const notice = signal<Notice | null>(null)
  const announcement = signal<Announcement | null>(null)

  const isAdmin = computed(() => status.value?.user.role === 'admin')
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
    if (next) announcement.value = next
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

  function finish(outcome: Outcome, provider: ProviderId, errorCode?: string) {
    batch(() => {
      endConsent(false)
      if (outcome === 'cancelled') announcement.value = { kind: 'cancelled', provider }
      notice.value =
        outcome === 'cancelled'
          ? { kind: 'cancelled', provider }
          : outcome === 'failed'
            ? { kind: 'failed', code: errorCode ?? 'provider_error' }
            : null
    })
    if (outcome !== 'cancelled') void load(outcome !== 'failed')
  }

  function onMessage(event: { origin: string; data: unknown }) {
    if (event.origin !== api.origin) return
    const result = asOAuthResult(event.data)
    if (result) finish(result.outcome, result.provider, result.errorCode)
  }

  /** The full-page fallback comes back with the outcome in the query string: read it, then tidy the URL. */
  function takeRedirectOutcome() {
    const url = new URL(browser.href())
    const outcome = url.searchParams.get(PARAMS.outcome) as Outcome | null
    const provider = url.searchParams.get(PARAMS.provider)
    if (!outcome) return
    const errorCode = url.searchParams.get(PARAMS.error) ?? undefined
    for (const name of Object.values(PARAMS)) url.searchParams.delete(name)
    browser.replaceUrl(url.href)
    if (OUTCOMES.includes(outcome) && isProvider(provider)) finish(outcome, provider, errorCode)
  }

  function returnTo() {
    const url = new URL(browser.href())
    for (const name of Object.values(PARAMS)) url.searchParams.delete(name)
    return url.href
  }

  /**
   * Starts consent. Runs synchronously up to the popup, so call it straight from a click handler.
   * A connection to another provider asks for confirmation first (the switch dialog).
   */
  function connect(provider: ProviderId, confirmSwitch = false) {
    const current = status.value?.connection
    if (current && current.provider !== provider && !confirmSwitch) {
      dialog.value = { kind: 'switch', provider }
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
      if (popup) announcement.value = { kind: 'waiting', provider }
    })
    const body = mode === 'popup' ? { provider, mode } : { provider, mode, returnTo: returnTo() }
    return api.startConnection(confirmSwitch ? { ...body, confirmSwitch } : body).then(
      ({ authorizeUrl }) => {
        if (stale()) return // cancelled meanwhile
        if (!popup) return browser.navigate(authorizeUrl)
        if (popup.closed) return finish('cancelled', provider)
        popup.location.href = authorizeUrl
        const watched = popup
        // Closed without a message (or the provider's page cut the opener off): back to idle, and
        // re-read the status in case the consent went through all the same.
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
          if (unconfirmed) dialog.value = { kind: 'switch', provider }
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
    notice,
    announcement,
    isAdmin,
    view,
    /** Loads the status once per page, listens for the popup's message, reads a redirect's outcome. */
    start() {
      if (started) return
      started = true
      stopListening = browser.onMessage(onMessage)
      takeRedirectOutcome()
      if (!status.value) void load()
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
    askDisconnect: () => (dialog.value = { kind: 'disconnect' }),
    closeDialog: () => (dialog.value = null),
    disconnect: () =>
      run(async () => {
        const provider = status.value?.connection?.provider
        await api.disconnect()
        batch(() => {
          dialog.value = null
          if (status.value) status.value = { ...status.value, connection: null }
          if (provider) announcement.value = { kind: 'disconnected', provider }
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
