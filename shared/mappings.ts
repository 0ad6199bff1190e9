import { z } from 'zod'
import { DOCUMENT_LIMITS } from './api/documents.ts'
import { textOf } from './api/common.ts'
import { ProviderIdSchema } from './providers.ts'

/**
 * What the mapping editor reads and writes: where each line category, tax code and payment goes in
 * the organisation's chart. Proposals come from the chart (the organisation's sales account, a tax
 * rate of the same percentage, a bank account) and are only ever shown, never applied: an admin
 * saves them like any other choice.
 *
 * @example { kind: 'category_account', key: 'Labour', ref: '8a1c…' }
 */
export const MAPPING_KINDS = [
  'category_account',
  'category_item',
  'default_account',
  'tax_rate',
  'payment_account',
] as const
export const MappingKindSchema = z.enum(MAPPING_KINDS).meta({ id: 'MappingKind' })
export type MappingKind = z.infer<typeof MappingKindSchema>

/** The categories every vendor has; its own ones are found on its invoices. */
export const STANDARD_CATEGORIES = ['Labour', 'Materials', 'Equipment', 'Other'] as const

/** The key of the kinds that map one thing only (the default account, the payment account). */
export const SINGLE_KEY = '*'

export const ChartAccountSchema = z
  .object({
    id: z.string(),
    code: z.string().nullable(),
    name: z.string(),
    kind: z.enum(['revenue', 'bank', 'other']).meta({
      description: 'Categories map to revenue accounts only',
    }),
    active: z.boolean().meta({ description: 'False for an archived account: nothing may be posted to it' }),
    acceptsPayments: z.boolean().meta({ description: 'A bank account, or one with payments turned on' }),
  })
  .meta({ id: 'ChartAccount' })

export const ChartTaxRateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    rate: z.string().meta({ description: 'Percent, as a decimal string', example: '20' }),
    active: z.boolean(),
  })
  .meta({ id: 'ChartTaxRate' })

export const ChartItemSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    incomeAccountId: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'ChartItem' })
export type ChartItem = z.infer<typeof ChartItemSchema>

export const ChartSchema = z
  .object({
    provider: ProviderIdSchema,
    accounts: z.array(ChartAccountSchema),
    taxRates: z.array(ChartTaxRateSchema),
    currencies: z.array(z.string()).meta({ description: 'The currencies invoices may be posted in' }),
    items: z.array(ChartItemSchema).nullable().meta({
      description: 'Products and services, where lines need one (QuickBooks); null elsewhere',
    }),
    fetchedAt: z.string().meta({ description: 'When the chart was read from the accounting software' }),
  })
  .meta({ id: 'Chart' })
export type ChartView = z.infer<typeof ChartSchema>

const ChoiceSchema = z.object({
  ref: z.string().meta({ description: 'The id of the account, tax rate or item' }),
  label: z.string(),
})

export const MappingEntrySchema = z
  .object({
    kind: MappingKindSchema,
    key: z.string().meta({ description: `The category, the local tax code, or "${SINGLE_KEY}"` }),
    state: z.enum(['mapped', 'missing', 'stale']).meta({
      description: 'stale: the chosen account, rate or item was archived or deleted since, or no longer fits',
    }),
    current: ChoiceSchema.extend({
      problem: z.string().nullable().meta({ description: 'Why a stale choice can no longer be used' }),
    }).nullable(),
    proposal: ChoiceSchema.extend({ reason: z.string() }).nullable().meta({
      description: 'A suggestion from the chart for a missing or stale mapping; saved only by an admin',
    }),
    blocksPush: z.boolean().meta({ description: 'Whether invoices using it are refused until it is mapped' }),
    localRate: z.string().nullable().meta({ description: 'For a tax code: the percent its lines carry' }),
  })
  .meta({ id: 'MappingEntry' })
export type MappingEntry = z.infer<typeof MappingEntrySchema>

export const MappingsViewSchema = z
  .object({
    provider: ProviderIdSchema,
    organisation: z.string(),
    entries: z.array(MappingEntrySchema),
    complete: z.boolean().meta({ description: 'No entry blocks a push' }),
    chartFetchedAt: z.string(),
  })
  .meta({ id: 'Mappings' })
export type MappingsView = z.infer<typeof MappingsViewSchema>

const KeySchema = textOf(Math.max(DOCUMENT_LIMITS.category, DOCUMENT_LIMITS.taxCode), {
  min: 1,
  required: 'Name the category or tax code',
})

export const MappingChangeSchema = z
  .object({
    kind: MappingKindSchema,
    key: KeySchema,
    ref: z
      .string()
      .min(1, 'Choose an entry from the chart')
      .max(255)
      .nullable()
      .meta({ description: 'An id from GET /v1/mappings/chart; null clears the mapping' }),
  })
  .strict()

export const PutMappingsSchema = z
  .object({ mappings: z.array(MappingChangeSchema).min(1, 'Send at least one mapping').max(500) })
  .strict()
  .meta({ id: 'PutMappings' })
export type PutMappings = z.infer<typeof PutMappingsSchema>

export const CreateItemSchema = z
  .object({
    category: textOf(DOCUMENT_LIMITS.category, { min: 1, required: 'Name the category' }),
    name: textOf(100, { min: 1 })
      .optional()
      .meta({ description: 'The item’s name; the category by default' }),
  })
  .strict()
  .meta({ id: 'CreateItem' })

export const CreatedItemSchema = z
  .object({ item: ChartItemSchema, mappings: MappingsViewSchema })
  .meta({ id: 'CreatedItem' })

/** One of the organisation's customers, as a host imports it. */
export const AccountingContactSchema = z
  .object({
    id: z.string().meta({ description: 'Its id in the accounting software' }),
    name: z.string(),
    email: z.string().nullable(),
    reference: z.string().nullable().meta({
      description:
        'The reference the accounting software keeps for it (ours, when LedgerLink created it); null where it has none',
    }),
  })
  .meta({ id: 'AccountingContact' })

export const ContactPageQuerySchema = z.object({
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(1)
    .meta({ param: { name: 'page', in: 'query' }, description: '1-based; 100 customers a page' }),
})

export const ContactPageSchema = z
  .object({
    provider: ProviderIdSchema,
    page: z.number().int().min(1),
    contacts: z.array(AccountingContactSchema),
    hasMore: z.boolean().meta({ description: 'Whether the next page holds more' }),
    fetchedAt: z.string().meta({ description: 'When this page was read from the accounting software' }),
  })
  .meta({ id: 'ContactPage' })
export type ContactPageView = z.infer<typeof ContactPageSchema>
