import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import type { Locale } from '../locale.ts'

const name = (p: ProviderId) => PROVIDERS[p].name

/** LedgerLink did not answer at all: the same words in every part of the widget. */
export const NETWORK = {
  message: 'LedgerLink could not be reached.',
  action: 'Check your internet connection and try again.',
}
const invoices = (n: number) => (n === 1 ? '1 invoice' : `${n} invoices`)

/** What the page's core says: the badges, and the frames of the parts still loading. */
function english(org: string) {
  return {
    loading: 'Loading…',
    panelLoading: 'Checking your accounting connection…',
    checking: 'Checking the accounting status…',
    label: {
      not_synced: 'Not synced',
      pending: 'Pending',
      synced: 'Synced',
      outdated: 'Outdated',
      error: 'Error',
    },
    /** What each state means, read by screen readers and shown in the details. */
    meaning: {
      not_synced: (p: ProviderId | null) =>
        p ? `Not in ${name(p)} yet.` : 'Not sent to accounting software.',
      pending: (p: ProviderId | null) => `On its way to ${p ? name(p) : 'your accounting software'}.`,
      synced: (p: ProviderId | null, when: string) =>
        `In ${p ? name(p) : 'your accounting software'} since ${when}.`,
      outdated: (p: ProviderId | null) =>
        `Changed since it was sent to ${p ? name(p) : 'your accounting software'}: send the update.`,
      error: (p: ProviderId | null) => `Could not be sent to ${p ? name(p) : 'your accounting software'}.`,
    },
    unknown: 'Not found',
    unknownMeaning: 'This invoice is not in your account at LedgerLink.',
    unavailable: 'Unavailable',
    unavailableMeaning: 'The accounting status could not be checked. It is checked again shortly.',
    post: (p: ProviderId) => PROVIDERS[p].postLabel,
    update: (p: ProviderId) => `Send update to ${name(p)}`,
    confirmPost: (p: ProviderId) => `Post this invoice to ${name(p)} now?`,
    confirmUpdate: (p: ProviderId) => `Send this invoice’s changes to ${name(p)} now?`,
    cancel: 'Cancel',
    retry: 'Retry',
    dismiss: 'Dismiss',
    open: (p: ProviderId) => `Open in ${name(p)}`,
    details: 'Details',
    providerSaid: (p: ProviderId, text: string) => `${name(p)} said: “${text}”`,
    supportRef: 'Support reference',
    notConnected: `No accounting software is connected: connect it in your settings.`,
    reconnect: (p: ProviderId) =>
      `The connection to ${name(p)} needs reconnecting: an admin can reconnect it in your settings, and nothing waiting is lost.`,
    network: `${NETWORK.message} ${NETWORK.action}`,
    announce: ({ provider, synced, failed }: { provider: ProviderId; synced: number; failed: number }) =>
      [
        synced ? `${invoices(synced)} synced to ${name(provider)}.` : '',
        failed
          ? `${invoices(failed)} could not be sent to ${name(provider)}: see ${failed === 1 ? 'its' : 'their'} badge.`
          : '',
      ]
        .filter(Boolean)
        .join(' '),
    org,
  }
}
export type CoreWords = ReturnType<typeof english>

const WORDS: Record<Locale, CoreWords> = {
  'en-GB': english('organisation'),
  'en-US': english('organization'),
}
export const coreWords = (locale: Locale): CoreWords => WORDS[locale]
