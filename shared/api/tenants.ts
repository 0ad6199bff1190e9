import { z } from 'zod'
import { TimestampSchema } from './common.ts'

export const PutTenantSchema = z
  .object({ name: z.string().trim().min(1, 'A tenant needs a name').max(255) })
  .strict()
  .meta({ id: 'PutTenant' })

export const TenantSchema = z
  .object({ id: z.string(), name: z.string(), createdAt: TimestampSchema, updatedAt: TimestampSchema })
  .meta({ id: 'Tenant' })
export type TenantView = z.infer<typeof TenantSchema>
