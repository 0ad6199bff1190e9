import { z } from 'zod'

/**
 * Building blocks of the API schemas: ids, dates, pages.
 *
 * @example idOf('inv').parse('inv_01h…')
 */
export const TenantIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'Letters, digits and _ . : - only, at most 128 characters')
  .meta({ description: "The host app's own identifier of the account", example: 'acme-plumbing' })

export function idOf(prefix: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[a-z2-7]{26}$`), `Must be an id starting with ${prefix}_`)
    .meta({ example: `${prefix}_aaaaaayzqsyq2w6dzjwxnyhzcm` })
}

/** A calendar date, YYYY-MM-DD, that exists. */
export const DateSchema = z.iso
  .date({ message: 'Must be a date as YYYY-MM-DD' })
  .meta({ example: '2026-11-22' })

export const TimestampSchema = z.iso.datetime().meta({ example: '2026-11-22T10:15:00.000Z' })

export const ExternalIdSchema = z
  .string()
  .min(1)
  .max(255)
  .meta({ description: "The host app's own id of the record, unique per tenant" })

/** Optional free text, trimmed, with a hard cap. */
export const textOf = (max: number) => z.string().trim().max(max)

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Items per page (1–200)' }),
  cursor: z.string().max(200).optional().meta({ description: 'The `nextCursor` of the previous page' }),
})

/** A page of items and the cursor of the next one (null on the last page). */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() })
}
