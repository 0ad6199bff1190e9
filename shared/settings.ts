import { z } from 'zod'
import { HISTORY_DAYS_DEFAULT } from './history.ts'

export const HISTORY_DAYS_MAX = 3650

/**
 * A tenant's sync switches (the connection panel's settings): sync as a whole, each kind of record,
 * and auto-sync when the host marks an invoice sent. Every switch is on for a tenant that never
 * changed one. Turning sync (or a kind) off queues nothing new of it; work already queued waits,
 * kept, until it is turned on again, and work already running finishes.
 *
 * @example { syncEnabled: true, invoices: true, creditNotes: true, payments: false, customers: true, autoSyncOnSend: true, historyDays: 90, updatedAt: null, updatedBy: null }
 */
export const SyncSettingsSchema = z
  .object({
    syncEnabled: z.boolean().meta({ description: 'Sync on or off, for every kind of record' }),
    invoices: z.boolean(),
    creditNotes: z.boolean(),
    payments: z.boolean(),
    customers: z.boolean().meta({
      description:
        'Customer syncs of their own (a customers bulk run). An invoice still brings the contact it needs.',
    }),
    autoSyncOnSend: z.boolean().meta({ description: 'Post an invoice when the app marks it sent' }),
    historyDays: z
      .number()
      .int('Whole days')
      .min(1, 'At least 1 day')
      .max(HISTORY_DAYS_MAX, `At most ${HISTORY_DAYS_MAX} days (10 years)`)
      .meta({ description: `Days the sync history is kept (${HISTORY_DAYS_DEFAULT} unless changed)` }),
    updatedAt: z.iso.datetime().nullable().meta({ description: 'Last change; null while all are defaults' }),
    updatedBy: z.string().nullable().meta({ description: 'Who made the last change (a user id)' }),
  })
  .meta({ id: 'SyncSettings' })
export type SyncSettings = z.infer<typeof SyncSettingsSchema>

/** A change to some of the switches; at least one, and nothing else. */
export const PatchSyncSettingsSchema = SyncSettingsSchema.omit({ updatedAt: true, updatedBy: true })
  .partial()
  .strict()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), {
    message: 'Name at least one setting to change',
  })
  .meta({ id: 'PatchSyncSettings' })
export type PatchSyncSettings = z.infer<typeof PatchSyncSettingsSchema>

/** One of the switches (every setting but the history's retention). */
export type Switch = Exclude<keyof PatchSyncSettings, 'historyDays'>

/** A tenant that never changed a switch: every one on, the history kept the default days. */
export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
  syncEnabled: true,
  invoices: true,
  creditNotes: true,
  payments: true,
  customers: true,
  autoSyncOnSend: true,
  historyDays: HISTORY_DAYS_DEFAULT,
  updatedAt: null,
  updatedBy: null,
}
