import { createHmac, randomUUID } from 'node:crypto'
import { WEBHOOK_OPERATIONS, type WebhookOperation } from '../facts.ts'
import { intuitDateTime } from '../time.ts'

export interface WebhookEvent {
  realmId: string
  entity: string
  id: string
  operation: WebhookOperation
  at: number
}

/** Entities in Intuit's webhook support table that the emulator stores (2.8). */
export const WEBHOOK_ENTITIES = new Set(['Customer', 'Invoice', 'Payment', 'CreditMemo', 'Item', 'Account'])

/** `intuit-signature`: base64 HMAC-SHA256 of the raw body, keyed by the verifier token (2.8). */
export function intuitSignature(verifierToken: string, body: string): string {
  return createHmac('sha256', verifierToken).update(body, 'utf8').digest('base64')
}

/** The CloudEvents array Intuit sends since the 2025-26 migration (2.8). */
export function cloudEventsBody(events: WebhookEvent[]): string {
  return JSON.stringify(
    events.map((e) => ({
      specversion: '1.0',
      id: randomUUID(),
      source: `intuit.${Buffer.from(`qbo-emulator:${e.realmId}`).toString('base64')}`,
      type: `qbo.${e.entity.toLowerCase()}.${WEBHOOK_OPERATIONS[e.operation]}.v1`,
      datacontenttype: 'application/json',
      time: new Date(e.at).toISOString(),
      intuitentityid: e.id,
      intuitaccountid: e.realmId,
      data: {},
    })),
  )
}

/** The legacy `eventNotifications` object, one notification per company (2.8). */
export function legacyBody(events: WebhookEvent[]): string {
  const byRealm = new Map<string, WebhookEvent[]>()
  for (const e of events) byRealm.set(e.realmId, [...(byRealm.get(e.realmId) ?? []), e])
  return JSON.stringify({
    eventNotifications: [...byRealm].map(([realmId, list]) => ({
      realmId,
      dataChangeEvent: {
        entities: list.map((e) => ({
          name: e.entity,
          id: e.id,
          operation: e.operation,
          // The documented sample writes the offset without a colon: 2015-10-05T14:42:19-0700.
          lastUpdated: intuitDateTime(e.at).replace(/([+-]\d{2}):(\d{2})$/, '$1$2'),
        })),
      },
    })),
  })
}
