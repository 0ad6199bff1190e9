import type { ProviderId } from '../shared/providers.ts'
import { providerName as name } from './badges/words.ts'
import { OWN } from './components/problem.tsx'
import { createFormat, type Locale } from './locale.ts'

export { resolveLocale, type Locale } from './locale.ts'

const RECONNECT = 'Reconnect to carry on; your settings and links are kept.'

/** The connection panel's text, in the spelling of `locale` (the badges' words are in badges/words.ts). */
function english(locale: Locale) {
  // The words that differ between British and American English.
  const [org, cancelled] = locale === 'en-US' ? ['organization', 'canceled'] : ['organisation', 'cancelled']
  return {
    region: 'Accounting connection',
    noneLead: 'Connect your accounting software to send invoices and payments to it automatically.',
    noneHint: 'You sign in to it and allow access: LedgerLink never sees your password.',
    noneMember: 'No accounting software is connected yet.',
    askAdmin: (tenant: string) => `Ask an admin of ${tenant} to connect Xero, QuickBooks or Sage.`,
    askAdminReconnect: (tenant: string) => `Ask an admin of ${tenant} to reconnect.`,
    waiting: (p: ProviderId) => `Waiting for ${name(p)}…`,
    waitingHint: 'Finish signing in in the window that opened: this panel updates when you are done.',
    redirecting: (p: ProviderId) => `Taking you to ${name(p)}…`,
    finishing: (p: ProviderId) => `Finishing connecting to ${name(p)}…`,
    chooseTitle: `Choose the ${org} to connect`,
    chooseLead: (p: ProviderId, tenant: string) =>
      `Your ${name(p)} sign-in covers more than one ${org}. Choose the one ${tenant} uses.`,
    chooseExpires: (time: string) => `Choose before ${time}.`,
    chooseSubmit: `Use this ${org}`,
    chooseMissing: `Choose an ${org} first.`,
    chooseMember: (p: ProviderId) => `An admin is choosing which ${name(p)} ${org} to connect.`,
    pill: { active: 'Connected', expired: 'Expired', revoked: 'Access removed', error: 'Needs attention' },
    connectedBy: 'Connected by',
    connectedByValue: (who: string, when: string) => `${who}, ${when}`,
    lastSync: 'Last sync',
    notSynced: 'Not synced yet',
    disconnect: (p: ProviderId) => `Disconnect from ${name(p)}`,
    reconnect: (p: ProviderId) => `Reconnect to ${name(p)}`,
    revokedLead: (p: ProviderId) => `Disconnected in ${name(p)}.`,
    since: (when: string) => `Since ${when}.`,
    reconnectBy: (p: ProviderId, date: string, relative: string) =>
      `${name(p)} asks you to sign in again by ${date} (${relative}): reconnect before then.`,
    switchOpen: 'Use different accounting software',
    switchClose: 'Hide other accounting software',
    switchBody: (current: ProviderId, orgName: string, next: ProviderId) =>
      `You are connected to ${name(current)} (${orgName}). Connecting ${name(next)} disconnects ${name(current)}, and anything still waiting to be sent to ${name(current)} will not be sent.`,
    switchConfirm: (p: ProviderId) => `Switch to ${name(p)}`,
    disconnectBody: (p: ProviderId, orgName: string) =>
      `LedgerLink will stop sending invoices and payments to ${orgName}. Nothing already in ${name(p)} is deleted, and your settings are kept if you reconnect.`,
    disconnectConfirm: 'Disconnect',
    cancelled: (p: ProviderId) => `Signing in to ${name(p)} was ${cancelled}. Nothing has changed.`,
    announce: {
      connected: (p: ProviderId, orgName: string) => `Connected to ${name(p)}: ${orgName}.`,
      disconnected: (p: ProviderId) => `Disconnected from ${name(p)}.`,
      choose: (p: ProviderId) => `Choose the ${name(p)} ${org} to connect.`,
      needsReconnect: (p: ProviderId) => `The connection to ${name(p)} needs reconnecting.`,
      attention: (p: ProviderId) => `The connection to ${name(p)} needs attention.`,
      notConnected: () => 'No accounting software is connected.',
      waiting: (p: ProviderId) => `Waiting for ${name(p)}. Finish signing in in the window that opened.`,
      cancelled: (p: ProviderId) => `Signing in to ${name(p)} was ${cancelled}.`,
    },
    sections: { settings: 'Sync settings', mappings: 'Account mappings' },
    /**
     * The codes the panel names itself, with no server answer to take the words from: a consent's
     * outcome (a popup's message or a redirect's `ledgerlink_error`), and a connection's status and
     * `lastError`. The calls that never reached the server are worded in components/problem.tsx;
     * every other error shows the message and action the server sent with it.
     */
    local: {
      oauth_denied: {
        message: 'Access was not granted.',
        action: 'Click Connect again and choose Allow to connect.',
      },
      oauth_state_invalid: {
        message:
          'This sign-in to your accounting software was not started here, was already used or took too long.',
        action: 'Start again from the Connect button.',
      },
      unauthenticated: {
        message: 'Your session ended before the connection could finish.',
        action: 'Reload the page, then click Connect again.',
      },
      provider_error: {
        message: 'Your accounting software answered with an error.',
        action: OWN.internal!.action,
      },
      provider_unavailable: {
        message: 'Your accounting software cannot be reached right now.',
        action: 'Try again in a few minutes.',
      },
      connection_expired: {
        message: 'The connection to your accounting software has expired.',
        action: RECONNECT,
      },
      connection_revoked: {
        message: 'Access to your accounting software was removed from its side.',
        action: RECONNECT,
      },
    },
  }
}
export type Messages = ReturnType<typeof english>

/** The panel's text and the Intl formatters for one locale; `now` is injectable so tests can pin the clock. */
export function createI18n(locale: Locale, now: () => number = Date.now) {
  return { ...createFormat(locale, now), t: english(locale) }
}
export type I18n = ReturnType<typeof createI18n>
