import { z } from 'zod'
import { DateSchema, PageQuerySchema, TimestampSchema, pageOf, textOf } from './api/common.ts'
import { ERROR_CODES } from './errors.ts'
import { PROVIDER_IDS } from './providers.ts'
import { SYNC_STATES } from './sync-state.ts'

/**
 * Sync history, as a bookkeeper reads it: every run (one push, a bulk run, a retry), who or what
 * started it, its counts and how long it took, at which organisation; and each record that failed
 * in it, in the bookkeeper's words with what to do, and the provider's own words and call id for
 * support. A run outlives its connection: a reconnect or a switch of provider keeps it.
 *
 * @example { id: 'hst_…', recordKind: 'invoice', trigger: 'event', event: 'invoice_sent', status: 'partial', total: 3, synced: 2, failed: 1, … }
 */
export const HISTORY_KINDS = ['invoice', 'customer', 'credit_note', 'payment'] as const
export const HISTORY_STATUSES = ['succeeded', 'partial', 'failed'] as const
export const HISTORY_TRIGGERS = ['user', 'event', 'bulk', 'retry', 'system'] as const

/** Days a tenant's history is kept unless an admin chooses otherwise. */
export const HISTORY_DAYS_DEFAULT = 90

export const HistoryTriggerSchema = z.enum(HISTORY_TRIGGERS).meta({
  description:
    'user: Sync now; event: the app sent an invoice or a credit note, recorded a payment or changed a customer; bulk: a bulk run; retry: a retry from the history; system: started with no person',
})

export const HistoryRunSchema = z
  .object({
    id: z.string().meta({ example: 'hst_01jd2k6x3y4z5a6b7c8d9e0f1g' }),
    recordKind: z.enum(HISTORY_KINDS),
    trigger: HistoryTriggerSchema,
    event: z
      .enum(['invoice_sent', 'payment_recorded', 'credit_note_sent', 'customer_changed'])
      .nullable()
      .meta({ description: 'For trigger event: which' }),
    startedBy: z.string().nullable().meta({ description: 'The user who started it, when a person did' }),
    retryOf: z.string().nullable().meta({ description: 'For a retry: the run whose failures it retried' }),
    bulkRunId: z.string().nullable(),
    provider: z.enum(PROVIDER_IDS),
    organisation: z.string().meta({ description: 'The organisation it went to, as named then' }),
    status: z.enum(HISTORY_STATUSES),
    total: z.number().int().nonnegative(),
    synced: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    startedAt: TimestampSchema,
    finishedAt: TimestampSchema,
    durationMs: z.number().int().nonnegative(),
  })
  .meta({ id: 'HistoryRun' })
export type HistoryRun = z.infer<typeof HistoryRunSchema>

export const HistoryItemSchema = z
  .object({
    recordKind: z.enum(HISTORY_KINDS),
    recordId: z.string(),
    label: z.string().meta({ description: 'The record as a bookkeeper knows it: a number, a name' }),
    code: z.enum(ERROR_CODES),
    message: z.string(),
    action: z.string(),
    providerMessage: z.string().nullable(),
    correlationId: z.string().nullable(),
    at: TimestampSchema,
    now: z
      .enum(SYNC_STATES)
      .meta({ description: 'Where the record stands now (synced once a retry fixed it)' }),
  })
  .meta({ id: 'HistoryItem' })
export type HistoryItem = z.infer<typeof HistoryItemSchema>

export const HistoryRunDetailSchema = HistoryRunSchema.extend({
  items: z.array(HistoryItemSchema).meta({ description: 'Every record that failed in the run' }),
}).meta({ id: 'HistoryRunDetail' })
export type HistoryRunDetail = z.infer<typeof HistoryRunDetailSchema>

export const HistoryQuerySchema = PageQuerySchema.extend({
  status: z.enum(HISTORY_STATUSES).optional(),
  kind: z.enum(HISTORY_KINDS).optional(),
  from: DateSchema.optional().meta({ description: 'Runs that finished on or after this day (UTC)' }),
  to: DateSchema.optional().meta({ description: 'Runs that finished on or before this day (UTC)' }),
  q: textOf(100, { min: 1 })
    .optional()
    .meta({ description: 'Text in a failed record’s number or name, its error or the organisation' }),
})

export const HistoryPageSchema = pageOf(HistoryRunSchema).meta({ id: 'HistoryPage' })

export const RetryAnswerSchema = z
  .object({
    retried: z.number().int().nonnegative().meta({ description: 'Records queued again' }),
    jobIds: z.array(z.string()),
  })
  .meta({ id: 'RetryAnswer' })
export type RetryAnswer = z.infer<typeof RetryAnswerSchema>
