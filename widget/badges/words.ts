import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import type { Locale } from '../locale.ts'

/** A provider's name as its branding rules spell it (shared/providers.ts): every part's words use this one. */
const name = (p: ProviderId) => PROVIDERS[p].name
export { name as providerName }
/** Where an invoice goes: its provider when known, else the software in general. */
const software = (p: ProviderId | null) => (p ? name(p) : 'your accounting software')

/** LedgerLink did not answer at all: the same words in every part of the widget. */
export const NETWORK = {
  message: 'LedgerLink could not be reached.',
  action: 'Check your internet connection and try again.',
}
const invoices = (n: number) => (n === 1 ? '1 invoice' : `${n} invoices`)

/**
 * What the page's core says: the badges, and the frames of the parts still loading. None of it is
 * spelled differently in en-GB and en-US, so both read this one table.
 */
const ENGLISH = {
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
    not_synced: (p: ProviderId | null) => (p ? `Not in ${name(p)} yet.` : 'Not sent to accounting software.'),
    pending: (p: ProviderId | null) => `On its way to ${software(p)}.`,
    synced: (p: ProviderId | null, when: string) => `In ${software(p)} since ${when}.`,
    outdated: (p: ProviderId | null) => `Changed since it was sent to ${software(p)}: send the update.`,
    error: (p: ProviderId | null) => `Could not be sent to ${software(p)}.`,
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
}
export type CoreWords = typeof ENGLISH

export const coreWords = (_locale: Locale): CoreWords => ENGLISH
