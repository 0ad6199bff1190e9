import type { BulkKind, BulkProgress, BulkRun } from '../../shared/bulk.ts'
import type { Format } from '../locale.ts'

/** What a run of each kind carries, in the singular: the attribute's kinds, and no other. */
export const NOUN: Record<BulkKind, string> = {
  invoices: 'invoice',
  customers: 'customer',
  credit_notes: 'credit note',
  payments: 'payment',
}

/**
 * The sync button's words for one kind, in the page's locale (its spelling, its numbers).
 * `provider` is the provider's name when the page knows it (its badges have loaded), else
 * undefined: the words then say "your accounting software".
 */
export function syncWords(kind: BulkKind, { locale, count }: Format) {
  const [cancelling, cancelled] = locale === 'en-US' ? ['Canceling', 'canceled'] : ['Cancelling', 'cancelled']
  const one = NOUN[kind]
  const many = `${one}s`
  const n = (k: number) => `${count(k)} ${k === 1 ? one : many}`
  const to = (provider?: string) => provider ?? 'your accounting software'
  return {
    sync: `Sync ${many}`,
    checking: 'Checking what to send…',
    confirm: (summary: string, provider?: string) =>
      `Send ${summary} to ${to(provider)}? Those already synced are skipped.`,
    start: 'Start',
    syncing: `Syncing ${many}`,
    progress: (p: BulkProgress) =>
      [
        `${count(p.done)} of ${count(p.total)}`,
        p.failed && `${count(p.failed)} failed`,
        p.cancelled && `${count(p.cancelled)} ${cancelled}`,
        `${count(p.remaining)} remaining`,
      ]
        .filter(Boolean)
        .join(' · '),
    stop: 'Cancel sync',
    // What is said once each through the page's live region (and shown).
    nothing: (provider?: string) =>
      provider
        ? `Everything is already in ${provider}: no ${many} to send.`
        : `Nothing to send: every ${one} is already synced.`,
    started: ({ progress }: BulkRun, provider?: string) => `Syncing ${n(progress.total)} to ${to(provider)}.`,
    cancelling: `${cancelling}… running batches finish.`,
    ended: ({ progress: p, cancelledAt }: BulkRun, provider?: string) =>
      `${cancelledAt ? `Sync ${cancelled}: ` : ''}${n(p.done)} synced${provider ? ` to ${provider}` : ''}` +
      `${p.failed ? `, ${count(p.failed)} failed` : ''}${p.cancelled ? `, ${count(p.cancelled)} not sent` : ''}.`,
    failures: `See the ${many} that failed`,
    whereFailures: `The ones that failed are listed in the sync history, in your accounting settings.`,
  }
}
export type SyncWords = ReturnType<typeof syncWords>
