import type { Clock } from '../../common/clock.ts'
import type { EventCategory } from '../domain/deps.ts'
import { XERO_FACTS } from '../facts.ts'
import { entropy, signXeroWebhook } from './signature.ts'

export interface RecordedEvent {
  tenantId: string
  category: EventCategory
  type: 'CREATE' | 'UPDATE'
  resourceId: string
  at: number
  data?: Record<string, string>
}

export interface Subscription {
  url: string
  key: string
  categories: EventCategory[]
  /** Events flow only after the Intent to Receive handshake passed (PROVIDERS 1.11). */
  status: 'AWAITING_ITR' | 'OK' | 'DISABLED'
  failingSince?: number
}

export interface Delivery {
  status: number | 'timeout' | 'network-error'
  signed: boolean
  body: string
}

const RESOURCE_PATH: Record<EventCategory, string> = {
  INVOICE: 'Invoices',
  CONTACT: 'Contacts',
  CREDITNOTE: 'CreditNotes',
}

/** `2024-06-21T01:15:39.902`: UTC without a zone designator ([spec] example). */
const eventDate = (ms: number) => new Date(ms).toISOString().replace('Z', '')

/**
 * Xero's webhook side: thin events (ids only) for INVOICE, CONTACT and CREDITNOTE, signed over
 * the raw body, after an Intent to Receive handshake; failed deliveries stay queued and are
 * retried until 24 hours of failure disable the subscription (PROVIDERS 1.11, E-X10).
 */
export function createWebhookSender(deps: { clock: Clock; baseUrl: () => string; autoDeliver: boolean }) {
  const { clock } = deps
  let subscription: Subscription | undefined
  let sequence = 0
  const queue: (ReturnType<typeof toWire> & { sequence: number })[] = []
  const deliveries: Delivery[] = []

  function toWire(e: RecordedEvent) {
    return {
      resourceUrl: `${deps.baseUrl()}/api.xro/2.0/${RESOURCE_PATH[e.category]}/${e.resourceId}`,
      resourceId: e.resourceId,
      tenantId: e.tenantId,
      tenantType: 'ORGANISATION',
      eventCategory: e.category,
      eventType: e.type,
      eventDateUtc: eventDate(e.at),
      ...(e.data ? { data: e.data } : {}),
    }
  }

  async function post(body: string, signed: boolean): Promise<Delivery> {
    const key = signed ? subscription!.key : `${subscription!.key}-wrong`
    let status: Delivery['status']
    try {
      const res = await fetch(subscription!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-xero-signature': signXeroWebhook(body, key) },
        body,
        signal: AbortSignal.timeout(clock.toRealMs(XERO_FACTS.webhooks.responseTimeoutMs)),
      })
      await res.arrayBuffer()
      status = res.status
    } catch (err) {
      status = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network-error'
    }
    const delivery = { status, signed, body }
    deliveries.push(delivery)
    return delivery
  }

  async function deliver(): Promise<{ delivered: number; ok: boolean }> {
    if (!subscription || subscription.status !== 'OK' || queue.length === 0)
      return { delivered: 0, ok: false }
    const batch = queue.slice()
    const body = JSON.stringify({
      events: batch.map(({ sequence: _, ...e }) => e),
      firstEventSequence: batch[0]!.sequence,
      lastEventSequence: batch.at(-1)!.sequence,
      entropy: entropy(),
    })
    const { status } = await post(body, true)
    if (status === 200) {
      queue.splice(0, batch.length)
      delete subscription.failingSince
      return { delivered: batch.length, ok: true }
    }
    subscription.failingSince ??= clock.now()
    if (clock.now() - subscription.failingSince >= XERO_FACTS.webhooks.giveUpAfterMs)
      subscription.status = 'DISABLED'
    return { delivered: 0, ok: false }
  }

  // One delivery at a time, each after the last: two at once would send the same events twice, and
  // the second to finish would drop from the queue events recorded meanwhile, never sent.
  let last: Promise<unknown> = Promise.resolve()
  function flush(): Promise<{ delivered: number; ok: boolean }> {
    const next = last.then(deliver, deliver)
    last = next
    return next
  }

  return {
    subscribe(s: { url: string; key: string; categories?: EventCategory[] }) {
      subscription = {
        url: s.url,
        key: s.key,
        categories: s.categories ?? ['INVOICE', 'CONTACT', 'CREDITNOTE'],
        status: 'AWAITING_ITR',
      }
    },
    subscription: () => subscription,
    deliveries: () => deliveries,
    pending: () => queue.length,

    /** Good and deliberately bad signatures alternate; the receiver must answer 200 and 401 exactly. */
    async intentToReceive(rounds = 2): Promise<{ passed: boolean; deliveries: Delivery[] }> {
      if (!subscription) throw new Error('no webhook subscription')
      const results: Delivery[] = []
      for (let i = 0; i < rounds * 2; i++) {
        const body = JSON.stringify({
          events: [],
          firstEventSequence: 0,
          lastEventSequence: 0,
          entropy: entropy(),
        })
        results.push(await post(body, i % 2 === 0))
      }
      const passed = results.every((d) => d.status === (d.signed ? 200 : 401))
      subscription.status = passed ? 'OK' : 'AWAITING_ITR'
      return { passed, deliveries: results }
    },

    record(e: RecordedEvent) {
      if (!subscription || !subscription.categories.includes(e.category)) return
      queue.push({ ...toWire(e), sequence: ++sequence })
      if (deps.autoDeliver) setTimeout(() => void flush(), 0).unref()
    },

    flush,
  }
}

export type WebhookSender = ReturnType<typeof createWebhookSender>
