import { z } from 'zod'
import { eventDigest, type EventEntity } from '../sync/provider-events.ts'
import { firstProblem, parseJson, type WebhookRead } from './payload.ts'
import { providerTime } from './timestamps.ts'

/**
 * Xero's webhook payload (PROVIDERS 1.11, [spec] xero-webhooks.yaml): thin events, ids only. Only
 * what the kit reads is required; other fields, and fields Xero adds later, are let through.
 */
const XeroEventSchema = z.looseObject({
  resourceUrl: z.string().optional(),
  resourceId: z.string().min(1),
  eventDateUtc: z.string().min(1).meta({ description: 'UTC without a zone: 2024-06-21T01:15:39.902' }),
  eventType: z.string().min(1).meta({ description: 'CREATE or UPDATE' }),
  eventCategory: z.string().min(1).meta({ description: 'INVOICE, CONTACT, CREDITNOTE or SUBSCRIPTION' }),
  tenantId: z.string().min(1),
  tenantType: z.string().optional(),
})
export const XeroPayloadSchema = z.looseObject({
  events: z.array(XeroEventSchema).meta({ description: 'Empty in an Intent to Receive' }),
  firstEventSequence: z.number().int().optional(),
  lastEventSequence: z.number().int().optional(),
  entropy: z.string().optional(),
})

/** There are no payment events: a payment is an INVOICE UPDATE (PROVIDERS 1.11). */
const ENTITIES = new Map<string, EventEntity>([
  ['INVOICE', 'invoice'],
  ['CONTACT', 'contact'],
  ['CREDITNOTE', 'credit_note'],
])

/**
 * The events of a verified Xero delivery. Xero's events carry no id, so an event's id is a digest
 * of what it says: a retry or a replay of it has the same one.
 */
export function readXeroDelivery(body: string): WebhookRead {
  const json = parseJson(body)
  if (json === undefined) return { problem: 'not JSON' }
  const payload = XeroPayloadSchema.safeParse(json)
  if (!payload.success) return { problem: firstProblem('a Xero webhook payload', payload.error) }
  return {
    events: payload.data.events.map((e) => ({
      eventId: eventDigest([e.tenantId, e.eventCategory, e.eventType, e.resourceId, e.eventDateUtc]),
      organisationId: e.tenantId,
      entity: ENTITIES.get(e.eventCategory) ?? 'other',
      resourceId: e.resourceId,
      operation: e.eventType,
      occurredAt: providerTime(e.eventDateUtc),
    })),
  }
}
