import { z } from 'zod'

/**
 * Bulk sync ("Sync invoices", "Sync customers", "Sync payments", "Sync credit notes"): what a run would send, the run
 * itself and its progress. Safe to run again: what is synced at its version, or already queued, is
 * left out.
 *
 * @example { kind: 'invoices', invoices: 37, creditNotes: 0, payments: 0, customers: 12, summary: '37 invoices and the 12 customers they need' }
 */
export const BULK_KINDS = ['invoices', 'customers', 'payments', 'credit_notes'] as const
export type BulkKind = (typeof BULK_KINDS)[number]

export const BulkKindSchema = z.enum(BULK_KINDS).meta({ description: 'What the run syncs' })

export const BulkRequestSchema = z.strictObject({ kind: BulkKindSchema }).meta({ id: 'BulkRequest' })

export const BulkPreviewQuerySchema = z.object({
  kind: BulkKindSchema.meta({ param: { name: 'kind', in: 'query' } }),
})

export const BulkPreviewSchema = z
  .object({
    kind: BulkKindSchema,
    invoices: z.number().int().nonnegative().meta({
      description: 'Invoices it would post (for payments: those their invoices still need; 0 for customers)',
    }),
    creditNotes: z.number().int().nonnegative().meta({
      description:
        'Credit notes it would post or set against their invoices (0 unless the run is of credit notes)',
    }),
    payments: z
      .number()
      .int()
      .nonnegative()
      .meta({ description: 'Payments it would record or remove (0 unless the run is of payments)' }),
    customers: z.number().int().nonnegative().meta({
      description:
        'Customers it would create, link or update at the provider (the summary says how many are updates)',
    }),
    summary: z.string().meta({ description: 'The counts in words, for the confirmation' }),
  })
  .meta({ id: 'BulkPreview' })
export type BulkPreview = z.infer<typeof BulkPreviewSchema>

/** Records of the run by where they stand; `remaining` reaches 0 when the run ends. */
export const BulkProgressSchema = z
  .object({
    total: z.number().int().nonnegative(),
    done: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    cancelled: z.number().int().nonnegative(),
    remaining: z.number().int().nonnegative(),
  })
  .meta({ id: 'BulkProgress' })
export type BulkProgress = z.infer<typeof BulkProgressSchema>

export const BulkRunSchema = z
  .object({
    id: z.string().meta({ example: 'run_01jd2k6x3y4z5a6b7c8d9e0f1g' }),
    kind: BulkKindSchema,
    startedBy: z.string().meta({ description: 'The user who started it' }),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    progress: BulkProgressSchema,
  })
  .meta({ id: 'BulkRun' })
export type BulkRun = z.infer<typeof BulkRunSchema>

/** `GET /v1/sync/bulk?active=true`: only the runs still going (past ones are in the sync history). */
export const BulkListQuerySchema = z.object({
  active: z.literal('true').meta({
    param: { name: 'active', in: 'query' },
    description: 'Only `true`: the runs still going. Runs that ended are in the sync history.',
  }),
})

/** The tenant's runs still going, newest first, so a page with a sync button follows one started elsewhere. */
export const BulkRunListSchema = z.object({ data: z.array(BulkRunSchema) }).meta({ id: 'BulkRunList' })
export type BulkRunList = z.infer<typeof BulkRunListSchema>

export const BulkRunParamsSchema = z.object({
  runId: z
    .string()
    .regex(/^run_[a-z0-9]{1,40}$/, 'Not a bulk run id')
    .meta({ param: { name: 'runId', in: 'path' } }),
})

/** The names of the server-sent events of a run's stream: `progress` on every change, then `end`. */
export const BULK_EVENTS = { progress: 'progress', end: 'end' } as const
