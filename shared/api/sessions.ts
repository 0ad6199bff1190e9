import { z } from 'zod'
import { TimestampSchema } from './common.ts'
import { ConnectionSchema, PendingChoiceSchema } from './connections.ts'

export const RoleSchema = z.enum(['admin', 'member']).meta({ id: 'Role' })

export const ExchangeEmbedTokenSchema = z
  .object({ embedToken: z.string().min(1).max(8192).meta({ description: 'JWT minted by the host backend' }) })
  .strict()
  .meta({ id: 'ExchangeEmbedToken' })

export const PasswordSignInSchema = z
  .object({ email: z.email().max(320), password: z.string().min(1).max(1024) })
  .strict()
  .meta({ id: 'PasswordSignIn' })

export const SignUpSchema = z
  .object({
    email: z.email().max(320),
    password: z
      .string()
      .min(12, 'Use at least 12 characters')
      .max(1024)
      .meta({ description: 'At least 12 characters' }),
    name: z.string().trim().min(1).max(255),
    organisation: z.string().trim().min(1).max(255).meta({ description: 'Your business name' }),
  })
  .strict()
  .meta({ id: 'SignUp' })

export const SessionInfoSchema = z
  .object({
    expiresAt: TimestampSchema,
    user: z.object({ id: z.string(), name: z.string(), role: RoleSchema, email: z.string().nullable() }),
    tenant: z.object({ id: z.string(), name: z.string() }),
  })
  .meta({ id: 'SessionInfo' })
export type SessionInfo = z.infer<typeof SessionInfoSchema>

/** A new session: the bearer token is shown once and kept in memory by the widget. */
export const NewSessionSchema = SessionInfoSchema.extend({
  token: z.string().meta({ description: 'Send as `Authorization: Bearer <token>`' }),
}).meta({ id: 'NewSession' })
export type NewSession = z.infer<typeof NewSessionSchema>

/** What the widget shows: who is signed in and (from the connections work on) the connection. */
export const StatusSchema = z
  .object({
    user: SessionInfoSchema.shape.user,
    tenant: SessionInfoSchema.shape.tenant,
    connection: ConnectionSchema.nullable().meta({
      description: 'The accounting connection; null while none exists',
    }),
    pendingChoice: PendingChoiceSchema.nullable().meta({
      description: 'A consent that covered several organisations, waiting for the user to pick one',
    }),
  })
  .meta({ id: 'Status' })
export type Status = z.infer<typeof StatusSchema>
