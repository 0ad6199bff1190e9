import { z } from 'zod'
import { ERROR_CODES } from './errors.ts'
import { CONNECTION_STATUSES, PROVIDER_IDS } from './providers.ts'
import { STATUS_BATCH_MAX } from './sync-limits.ts'

/**
 * Where a record stands with the accounting software, as the badge shows it. `outdated`: edited
 * in the app since its last sync. `error`: the last push failed and will not be retried by itself
 * (the code says why, the action what to do; the provider's own words and call id are for support).
 *
 * @example { state: 'synced', provider: 'xero', providerId: '5f0c…', url: null, syncedAt: '2026-11-20T09:00:00.000Z', error: null }
 */
export const SYNC_STATES = ['not_synced', 'pending', 'synced', 'outdated', 'error'] as const

export const SyncErrorSchema = z
  .object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    action: z.string(),
    providerMessage: z.string().nullable(),
    correlationId: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'SyncError' })

export const SyncStateSchema = z
  .object({
    state: z.enum(SYNC_STATES),
    provider: z.enum(PROVIDER_IDS).nullable(),
    providerId: z.string().nullable().meta({ description: 'The record’s id in the accounting software' }),
    url: z
      .string()
      .nullable()
      .meta({ description: 'Opens the record in the accounting software, where it has such a link' }),
    syncedAt: z.string().nullable(),
    error: SyncErrorSchema.nullable(),
  })
  .meta({ id: 'SyncState' })
export type SyncState = z.infer<typeof SyncStateSchema>

/** About the most a record's `sync` field adds to its JSON (an error with the provider's words). */
export const SYNC_STATE_BYTES = 1024

export { STATUS_BATCH_MAX }

export const StatusRequestSchema = z
  .object({
    invoiceIds: z
      .array(z.string().regex(/^inv_[a-z0-9]{1,40}$/, 'Not an invoice id'))
      .min(1)
      .max(STATUS_BATCH_MAX, `At most ${STATUS_BATCH_MAX} invoices per request`),
  })
  .strict()

export const StatusAnswerSchema = z
  .object({
    connection: z
      .object({ provider: z.enum(PROVIDER_IDS), status: z.enum(CONNECTION_STATUSES) })
      .nullable()
      .meta({ description: 'Where the invoices go (what “Post to …” names); null while none is connected' }),
    states: z
      .record(z.string(), SyncStateSchema)
      .meta({ description: 'By invoice id; ids not in this account are left out' }),
  })
  .meta({ id: 'SyncStatuses' })
export type StatusAnswer = z.infer<typeof StatusAnswerSchema>

export const PushAnswerSchema = z
  .object({ jobId: z.string(), state: z.literal('pending') })
  .meta({ id: 'PushQueued' })
