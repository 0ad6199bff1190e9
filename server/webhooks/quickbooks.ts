import { z } from 'zod'
import { eventDigest, type EventEntity, type IncomingEvent } from '../sync/provider-events.ts'
import { firstProblem, parseJson, type WebhookRead } from './payload.ts'
import { providerTime } from './timestamps.ts'

/** Ids come as strings; a number is taken as its digits. */
const id = z.union([z.string().min(1), z.number().int().transform(String)])

/**
 * Intuit's CloudEvents batch (PROVIDERS 2.8, the format since the 2025-26 migration): up to 100
 * events, possibly of several companies. Only what the kit reads is required.
 */
const CloudEventSchema = z.looseObject({
  specversion: z.string(),
  id: id.meta({ description: 'Unique per event: deliveries are deduplicated on it' }),
  type: z.string().min(1).meta({ description: 'qbo.<entity>.<operation>.v1' }),
  time: z.string().optional(),
  intuitentityid: id,
  intuitaccountid: id.meta({ description: 'The company (realmId)' }),
})
export const CloudEventsSchema = z.array(CloudEventSchema).min(1)

/** The legacy format, kept while Intuit still sends it (PROVIDERS 2.8). */
export const LegacyNotificationsSchema = z.looseObject({
  eventNotifications: z.array(
    z.looseObject({
      realmId: id,
      dataChangeEvent: z.looseObject({
        entities: z.array(
          z.looseObject({
            name: z.string().min(1),
            id,
            operation: z.string().min(1),
            lastUpdated: z.string().optional(),
          }),
        ),
      }),
    }),
  ),
})

/** Intuit's entity names (lower case, as CloudEvents types spell them) in the kit's words. */
const ENTITIES = new Map<string, EventEntity>([
  ['invoice', 'invoice'],
  ['payment', 'payment'],
  ['creditmemo', 'credit_note'],
  ['customer', 'contact'],
])
const entityOf = (name: string | undefined): EventEntity =>
  (name === undefined ? undefined : ENTITIES.get(name.toLowerCase())) ?? 'other'
const CLOUD_EVENT_TYPE = /^qbo\.([a-z0-9_]+)\.[a-z0-9_]+\.v\d+$/i

const fromCloudEvents = (events: z.output<typeof CloudEventsSchema>): IncomingEvent[] =>
  events.map((e) => ({
    eventId: e.id,
    organisationId: e.intuitaccountid,
    entity: entityOf(CLOUD_EVENT_TYPE.exec(e.type)?.[1]),
    resourceId: e.intuitentityid,
    operation: e.type,
    occurredAt: providerTime(e.time),
  }))

/** Legacy notifications carry no event id: a digest of what each says stands for one. */
const fromLegacy = (body: z.output<typeof LegacyNotificationsSchema>): IncomingEvent[] =>
  body.eventNotifications.flatMap(({ realmId, dataChangeEvent }) =>
    dataChangeEvent.entities.map((e) => ({
      eventId: eventDigest([realmId, e.name, e.id, e.operation, e.lastUpdated ?? null]),
      organisationId: realmId,
      entity: entityOf(e.name),
      resourceId: e.id,
      operation: e.operation,
      occurredAt: providerTime(e.lastUpdated),
    })),
  )

/**
 * The events of a verified QuickBooks delivery, in either format: an array whose first element
 * has `specversion` is CloudEvents, an object with `eventNotifications` the legacy format. Events
 * of entities the kit does not sync are read as `other` (acknowledged, nothing to do): only a body
 * in neither format is a problem.
 */
export function readQuickBooksDelivery(body: string): WebhookRead {
  const json = parseJson(body)
  if (json === undefined) return { problem: 'not JSON' }
  if (Array.isArray(json) && typeof json[0] === 'object' && json[0] !== null && 'specversion' in json[0]) {
    const events = CloudEventsSchema.safeParse(json)
    return events.success
      ? { events: fromCloudEvents(events.data) }
      : { problem: firstProblem('a CloudEvents batch', events.error) }
  }
  if (typeof json === 'object' && json !== null && 'eventNotifications' in json) {
    const legacy = LegacyNotificationsSchema.safeParse(json)
    return legacy.success
      ? { events: fromLegacy(legacy.data) }
      : { problem: firstProblem('a QuickBooks notification', legacy.error) }
  }
  return { problem: 'neither CloudEvents (an array of events with specversion) nor eventNotifications' }
}
