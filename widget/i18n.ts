import { PROVIDERS, type ProviderId } from '../shared/providers.ts'

/** The two spellings the widget speaks; every other English locale reads en-GB. */
export type Locale = 'en-GB' | 'en-US'

/** Picks the locale from the `locale` option, else the page's `lang`, else British English. */
export function resolveLocale(requested?: string | null): Locale {
  return /^en-us\b/i.test(requested ?? '') ? 'en-US' : 'en-GB'
}

const name = (p: ProviderId) => PROVIDERS[p].name

/** The words that differ between British and American English. */
interface Spelling {
  org: string
  cancelled: string
}

/** The widget's text, for one spelling. */
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
    /** Failures met before the server can answer with a code of ERRORS (shared/errors.ts). */
    local: {
      network: {
        message: 'LedgerLink could not be reached.',
        action: 'Check your internet connection and try again.',
      },
      token_unavailable: {
        message: 'Your app could not sign you in to LedgerLink.',
        action: 'Reload the page; if it keeps happening, contact your app’s support.',
      },
    },
  }
}
export type Messages = ReturnType<typeof english>

const MESSAGES: Record<Locale, Messages> = {
  'en-GB': english({ org: 'organisation', cancelled: 'cancelled' }),
  'en-US': english({ org: 'organization', cancelled: 'canceled' }),
}

/** Text and Intl formatters for one locale; `now` is injectable so tests can pin the clock. */
export function createI18n(locale: Locale, now: () => number = Date.now) {
  const t = MESSAGES[locale]
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' })
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
  const timeFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'short' })
  const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ]
  return {
    locale,
    t,
    date: (iso: string) => dateFormat.format(new Date(iso)),
    dateTime: (iso: string) => dateTimeFormat.format(new Date(iso)),
    time: (iso: string) => timeFormat.format(new Date(iso)),
    /** "5 minutes ago", "yesterday", "in 12 days"; under a minute reads "now". */
    relative: (iso: string) => {
      const diff = new Date(iso).getTime() - now()
      for (const [unit, ms] of UNITS)
        if (Math.abs(diff) >= ms) return relativeFormat.format(Math.trunc(diff / ms), unit)
      return relativeFormat.format(0, 'second')
    },
    now,
  }
}
export type I18n = ReturnType<typeof createI18n>
