import { PROVIDERS, type ProviderId } from '../shared/providers.ts'
import { createFormat, type Locale } from './locale.ts'

export { resolveLocale, type Locale } from './locale.ts'

const name = (p: ProviderId) => PROVIDERS[p].name

/** The words that differ between British and American English. */
interface Spelling {
  org: string
  cancelled: string
}

/** The connection panel's text, for one spelling (the badges' words are in badges/words.ts). */
function english({ org, cancelled }: Spelling) {
  return {
    region: 'Accounting connection',
    loading: 'Checking your accounting connection…',
    noneLead: 'Connect your accounting software to send invoices and payments to it automatically.',
    noneHint: 'You will sign in to it and allow access. LedgerLink never sees your password.',
    noneMember: 'No accounting software is connected yet.',
    askAdmin: (tenant: string) => `Ask an admin of ${tenant} to connect Xero, QuickBooks or Sage.`,
    askAdminReconnect: (tenant: string) => `Ask an admin of ${tenant} to reconnect.`,
    waiting: (p: ProviderId) => `Waiting for ${name(p)}…`,
    waitingHint: (p: ProviderId) =>
      `Finish signing in to ${name(p)} in the window that opened. This panel updates when you are done.`,
    redirecting: (p: ProviderId) => `Taking you to ${name(p)}…`,
    finishing: (p: ProviderId) => `Finishing connecting to ${name(p)}…`,
    cancel: 'Cancel',
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
    providerSaid: (p: ProviderId, text: string) => `${name(p)} said: “${text}”`,
    supportRef: 'Support reference',
    since: (when: string) => `Since ${when}.`,
    reconnectBy: (p: ProviderId, date: string, relative: string) =>
      `${name(p)} asks you to sign in again by ${date} (${relative}). Reconnect before then to keep your invoices flowing.`,
    switchOpen: 'Use different accounting software',
    switchClose: 'Hide other accounting software',
    switchTitle: (p: ProviderId) => `Switch to ${name(p)}?`,
    switchBody: (current: ProviderId, orgName: string, next: ProviderId) =>
      `You are connected to ${name(current)} (${orgName}). Connecting ${name(next)} disconnects ${name(current)}, and anything still waiting to be sent to ${name(current)} will not be sent.`,
    switchConfirm: (p: ProviderId) => `Switch to ${name(p)}`,
    disconnectTitle: (p: ProviderId) => `Disconnect from ${name(p)}?`,
    disconnectBody: (p: ProviderId, orgName: string) =>
      `LedgerLink will stop sending invoices and payments to ${orgName}. Nothing already in ${name(p)} is deleted, and your settings are kept if you reconnect.`,
    disconnectConfirm: 'Disconnect',
    tryAgain: 'Try again',
    dismiss: 'Dismiss',
    reference: 'Reference',
    notYourInput:
      'Nothing you entered caused this. Try again; if it keeps happening, contact your app’s support with the reference shown.',
    cancelled: (p: ProviderId) => `Signing in to ${name(p)} was ${cancelled}. Nothing has changed.`,
    announce: {
      connected: (p: ProviderId, orgName: string) => `Connected to ${name(p)}: ${orgName}.`,
      disconnected: (p: ProviderId) => `Disconnected from ${name(p)}.`,
      choose: (p: ProviderId) => `Choose the ${name(p)} ${org} to connect.`,
      needsReconnect: (p: ProviderId) => `The connection to ${name(p)} needs reconnecting.`,
      attention: (p: ProviderId) => `The connection to ${name(p)} needs attention.`,
      notConnected: 'No accounting software is connected.',
      waiting: (p: ProviderId) => `Waiting for ${name(p)}. Finish signing in in the window that opened.`,
      cancelled: (p: ProviderId) => `Signing in to ${name(p)} was ${cancelled}.`,
    },
    sections: { settings: 'Sync settings', mappings: 'Account mappings' },
    sectionLoading: 'Loading…',
    /**
     * The few codes the widget names itself, with no server answer to take the words from: calls
     * that never reached the server, a consent's outcome (a popup's message or a redirect's
     * `ledgerlink_error`), and a connection's status and `lastError`. Every other error shows the
     * message and action the server sent with it.
     */
    local: {
      network: {
        message: 'LedgerLink could not be reached.',
        action: 'Check your internet connection and try again.',
      },
      token_unavailable: {
        message: 'Your app could not sign you in to LedgerLink.',
        action: 'Reload the page; if it keeps happening, contact your app’s support.',
      },
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
        action: 'Try again; if it keeps happening, contact support with the reference shown.',
      },
      provider_unavailable: {
        message: 'Your accounting software cannot be reached right now.',
        action: 'Try again in a few minutes.',
      },
      connection_expired: {
        message: 'The connection to your accounting software has expired.',
        action: 'Reconnect to carry on; your settings and links are kept.',
      },
      connection_revoked: {
        message: 'Access to your accounting software was removed from its side.',
        action: 'Reconnect to carry on; your settings and links are kept.',
      },
      internal: {
        message: 'Something went wrong.',
        action: 'Try again; if it keeps happening, contact your app’s support with the reference shown.',
      },
    },
  }
}
export type Messages = ReturnType<typeof english>

const MESSAGES: Record<Locale, Messages> = {
  'en-GB': english({ org: 'organisation', cancelled: 'cancelled' }),
  'en-US': english({ org: 'organization', cancelled: 'canceled' }),
}

/** The panel's text and the Intl formatters for one locale; `now` is injectable so tests can pin the clock. */
export function createI18n(locale: Locale, now: () => number = Date.now) {
  return { ...createFormat(locale, now), t: MESSAGES[locale] }
}
export type I18n = ReturnType<typeof createI18n>
