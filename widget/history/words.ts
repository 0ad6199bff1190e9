import type { HistoryRun } from '../../shared/history.ts'
import type { ProviderId } from '../../shared/providers.ts'
import { providerName as name } from '../badges/words.ts'
import type { Format } from '../locale.ts'

type Kind = HistoryRun['recordKind']

const NOUNS: Record<Kind, [string, string]> = {
  invoice: ['invoice', 'invoices'],
  customer: ['customer', 'customers'],
  credit_note: ['credit note', 'credit notes'],
  payment: ['payment', 'payments'],
}
const EVENTS = {
  invoice_sent: 'Invoice sent',
  payment_recorded: 'Payment recorded',
  credit_note_sent: 'Credit note sent',
  customer_changed: 'Customer changed',
}
const TRIGGERS = { user: 'Posted by hand', bulk: 'Bulk sync', retry: 'Retry', system: 'Automatic', event: '' }
const UNITS = [
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
] as const

/** What the sync history says, in a bookkeeper's words, in the page's locale (its spelling, its numbers). */
export function historyWords({ locale, count: n }: Format) {
  const org = locale === 'en-US' ? 'organization' : 'organisation'
  const records = (count: number, kind: Kind) => `${n(count)} ${NOUNS[kind][count === 1 ? 0 : 1]}`
  return {
    title: 'Sync history',
    loading: 'Loading the sync history…',
    runs: 'Syncs, newest first',
    status: { succeeded: 'Succeeded', partial: 'Partly failed', failed: 'Failed' },
    /** The record kinds as the filter lists them: 'Invoices', 'Credit notes'. */
    kinds: Object.fromEntries(
      Object.entries(NOUNS).map(([kind, [, many]]) => [kind, many[0]!.toUpperCase() + many.slice(1)]),
    ) as Record<Kind, string>,
    filters: 'Filter the sync history',
    statusLabel: 'Status',
    kindLabel: 'Records',
    all: 'All',
    from: 'From',
    to: 'To',
    search: 'Search',
    searchHint: `Number, name, error or ${org}`,
    trigger: (r: HistoryRun) =>
      (r.trigger === 'event' && r.event ? EVENTS[r.event] : TRIGGERS[r.trigger]) || 'Automatic',
    records,
    counts: (r: HistoryRun) =>
      `${records(r.total, r.recordKind)}: ${n(r.synced)} synced, ${n(r.failed)} failed`,
    took: (ms: number) => {
      const unit = UNITS.find(([, size]) => ms >= size)
      if (!unit) return 'Took under a second'
      return `Took ${new Intl.NumberFormat(locale, { style: 'unit', unit: unit[0], unitDisplay: 'long' }).format(Math.round(ms / unit[1]))}`
    },
    empty: 'No syncs yet',
    emptyHint: 'Each sync to your accounting software shows here.',
    noMatch: 'No syncs match these filters',
    more: 'Load more',
    moreShown: (count: number) => `${n(count)} more ${count === 1 ? 'sync' : 'syncs'} shown.`,
    whatFailed: 'What failed',
    back: 'All syncs',
    opening: 'Opening this sync…',
    nothingFailed: 'Nothing failed in this sync.',
    said: (p: ProviderId) => `${name(p)} said:`,
    now: 'Now: ',
    retryAll: 'Retry all',
    retried: (count: number, kind: Kind) =>
      count === 0
        ? `Nothing to retry: synced since.`
        : `${records(count, kind)} ${count === 1 ? 'is' : 'are'} being sent again.`,
  }
}
export type HistoryWords = ReturnType<typeof historyWords>
