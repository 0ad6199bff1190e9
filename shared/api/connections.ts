import { z } from 'zod'
import { ErrorBodySchema } from '../errors.ts'
import { CONNECTION_STATUSES, ProviderIdSchema } from '../providers.ts'
import { TimestampSchema } from './common.ts'

/** The accounting connection of a tenant, as the widget shows it (statuses: CONNECTION_STATUSES). */
export const ConnectionStatusSchema = z.enum(CONNECTION_STATUSES).meta({ id: 'ConnectionStatus' })
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>

export const OrganisationSchema = z
  .object({ id: z.string(), name: z.string() })
  .meta({ id: 'Organisation', description: 'A Xero organisation, a QuickBooks company or a Sage business' })
export type Organisation = z.infer<typeof OrganisationSchema>

export const ConnectionErrorSchema = z
  .object({
    code: ErrorBodySchema.shape.error.shape.code,
    message: z.string().meta({ description: "The provider's own message, or ours" }),
    correlationId: z
      .string()
      .nullable()
      .meta({ description: 'Xero-Correlation-Id / intuit_tid, for the provider’s support' }),
    at: TimestampSchema,
  })
  .meta({ id: 'ConnectionError' })

export const ConnectionSchema = z
  .object({
    id: z.string(),
    provider: ProviderIdSchema,
    organisation: OrganisationSchema,
    status: ConnectionStatusSchema,
    connectedBy: z.object({ id: z.string(), name: z.string() }),
    connectedAt: TimestampSchema,
    lastSyncAt: TimestampSchema.nullable(),
    lastError: ConnectionErrorSchema.nullable(),
    /** When the grant can no longer be refreshed (QuickBooks' hard cap); the panel warns before it. */
    reconnectBy: TimestampSchema.nullable(),
  })
  .meta({ id: 'Connection' })
export type Connection = z.infer<typeof ConnectionSchema>

/** After consent, when the grant covers several organisations, the user picks one. */
export const PendingChoiceSchema = z
  .object({
    attemptId: z.string(),
    provider: ProviderIdSchema,
    organisations: z.array(OrganisationSchema).min(2),
    expiresAt: TimestampSchema,
  })
  .meta({ id: 'PendingChoice' })
export type PendingChoice = z.infer<typeof PendingChoiceSchema>

export const StartConnectionSchema = z
  .object({
    provider: ProviderIdSchema,
    mode: z.enum(['popup', 'redirect']).default('popup').meta({
      description:
        'popup: the callback page messages the opener and closes; redirect: it returns to returnTo',
    }),
    returnTo: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional()
      .meta({ description: 'Where a full-page redirect comes back to; its origin must be allowed' }),
    confirmSwitch: z
      .boolean()
      .default(false)
      .meta({ description: 'Replace the current connection to another provider (after the user confirmed)' }),
  })
  .strict()
  .meta({ id: 'StartConnection' })
export type StartConnection = z.input<typeof StartConnectionSchema>

export const StartedConnectionSchema = z
  .object({
    authorizeUrl: z.url(),
    expiresAt: TimestampSchema.meta({ description: 'The consent must complete before this' }),
  })
  .meta({ id: 'StartedConnection' })

const ByKindSchema = z.record(z.string(), z.number().int().nonnegative())

/**
 * What the current connection still has to do, for the Disconnect and switch confirmations: records
 * by kind still queued for it, and those whose last push failed, with the sentence to show.
 *
 * @example { queued: { invoice: 3 }, failing: { invoice: 1 }, summary: 'Not yet in Xero: 3 invoices waiting to be sent and 1 invoice that failed.' }
 */
export const OutstandingWorkSchema = z
  .object({
    queued: ByKindSchema,
    failing: ByKindSchema,
    summary: z
      .string()
      .nullable()
      .meta({ description: 'In the bookkeeper’s words; null when nothing is left' }),
  })
  .meta({ id: 'OutstandingWork' })
export type OutstandingWork = z.infer<typeof OutstandingWorkSchema>

export const ChooseOrganisationSchema = z
  .object({ attemptId: z.string().min(1).max(100), organisationId: z.string().min(1).max(255) })
  .strict()
  .meta({ id: 'ChooseOrganisation' })

/**
 * The widget completes a consent with the one-time secret its window was handed by the callback
 * page (popup message or returnTo URL). Nothing connects before this, and only for the session that
 * started the consent (popup) or the same user of the same tenant (redirect).
 */
export const CompleteConnectionSchema = z
  .object({ attemptId: z.string().min(1).max(100), secret: z.string().min(1).max(200) })
  .strict()
  .meta({ id: 'CompleteConnection' })
export type CompleteConnection = z.infer<typeof CompleteConnectionSchema>

/** A completed consent: connected to its one organisation, or the choice among several. */
export const CompletedConsentSchema = z
  .discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('connected'), connection: ConnectionSchema }),
    z.object({ outcome: z.literal('choose'), pendingChoice: PendingChoiceSchema }),
  ])
  .meta({ id: 'CompletedConsent' })
export type CompletedConsent = z.infer<typeof CompletedConsentSchema>

/**
 * How a consent came back, as the callback page posts it to its opener (popup mode, with the
 * BFF's origin checked) or puts it in the returnTo URL (redirect mode, `ledgerlink_*` parameters).
 * `authorised` carries what completes it (CompleteConnectionSchema).
 */
export const OAuthResultMessageSchema = z.object({
  type: z.literal('ledgerlink:oauth'),
  outcome: z.enum(['authorised', 'cancelled', 'failed']),
  provider: ProviderIdSchema,
  errorCode: z.string().optional(),
  attemptId: z.string().optional(),
  secret: z.string().optional(),
})
export type OAuthResultMessage = z.infer<typeof OAuthResultMessageSchema>
