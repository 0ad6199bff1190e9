import { z } from 'zod'
import { TimestampSchema, textOf } from './common.ts'

export const PutTenantSchema = z
  .object({ name: textOf(255, { min: 1, required: 'A tenant needs a name' }) })
  .strict()
  .meta({ id: 'PutTenant' })

export const TenantSchema = z
  .object({ id: z.string(), name: z.string(), createdAt: TimestampSchema, updatedAt: TimestampSchema })
  .meta({ id: 'Tenant' })
export type TenantView = z.infer<typeof TenantSchema>
