import type { Clock } from '../../common/clock.ts'
import { QBO } from '../facts.ts'
import type { QboWebhookConfig } from '../options.ts'
import {
  cloudEventsBody,
  intuitSignature,
  legacyBody,
  WEBHOOK_ENTITIES,
  type WebhookEvent,
} from './payload.ts'

export interface DeliveryAttempt {
  at: number
  status: number | null // null: no answer in time, or no connection
}
export interface Delivery {
  id: number
  body: string
  signature: string
  events: WebhookEvent[]
  attempts: DeliveryAttempt[]
  nextAt: number
  delivered: boolean
}

function delayBefore(attempt: number): number {
  const list = QBO.webhooks.retryDelaysMs
  return attempt < list.length ? list[attempt]! : QBO.webhooks.thenEveryMs
}

/**
 * Intuit's delivery behaviour (2.8): events are gathered for `aggregateMs`, signed, POSTed, and a
 * delivery counts only when answered 200 within 3 s. Failures retry after 0 s, 10 s, 20 s, 30 s, 5 m,
 * 20 m, 2 h, 4 h, 6 h, then every 6 h, on the emulator's clock; later deliveries wait behind an
 * unacknowledged one ("you may not receive subsequent events until you acknowledge the first").
 */
export function createWebhookSender(clock: Clock, initial: QboWebhookConfig | null) {
  let config = initial
  let pending: WebhookEvent[] = []
  let pendingSince = 0
  const queue: Delivery[] = []
  const history: Delivery[] = []
  let seq = 0
  let running: Promise<void> | null = null
  let timer: NodeJS.Timeout | null = null

  async function post(body: string, signature: string): Promise<number | null> {
    if (!config) return null
    const contentType = config.format === 'legacy' ? 'application/json' : 'application/cloudevents+json'
    try {
      const res = await fetch(config.url, {
        method: 'POST',
        headers: { 'content-type': contentType, 'intuit-signature': signature },
        body,
        // Node timers overflow past 2^31-1 ms (and would then fire at once); a slowed clock can ask for more.
        signal: AbortSignal.timeout(
          Math.min(2 ** 31 - 1, Math.max(1, clock.toRealMs(QBO.webhooks.responseTimeoutMs))),
        ),
      })
      await res.body?.cancel()
      return res.status
    } catch {
      return null
    }
  }

  function seal() {
    if (!config || pending.length === 0) return
    if (clock.now() - pendingSince < (config.aggregateMs ?? 0)) return
    for (let i = 0; i < pending.length; i += QBO.webhooks.maxEventsPerBatch) {
      const events = pending.slice(i, i + QBO.webhooks.maxEventsPerBatch)
      const body = config.format === 'legacy' ? legacyBody(events) : cloudEventsBody(events)
      const d: Delivery = {
        id: ++seq,
        body,
        signature: intuitSignature(config.verifierToken, body),
        events,
        attempts: [],
        nextAt: clock.now(),
        delivered: false,
      }
      queue.push(d)
      history.push(d)
    }
    pending = []
  }

  async function drain() {
    seal()
    for (let head = queue[0]; head && head.nextAt <= clock.now(); head = queue[0]) {
      const status = await post(head.body, head.signature)
      head.attempts.push({ at: clock.now(), status })
      if (status === 200) {
        head.delivered = true
        queue.shift()
      } else {
        head.nextAt = clock.now() + delayBefore(head.attempts.length)
        break
      }
    }
  }

  /** Sends whatever is due now; concurrent callers share one pass. */
  function flush(): Promise<void> {
    running ??= drain().finally(() => (running = null))
    return running
  }

  return {
    configure(next: QboWebhookConfig | null) {
      config = next
    },
    enqueue(event: WebhookEvent) {
      if (!config || !WEBHOOK_ENTITIES.has(event.entity)) return
      if (pending.length === 0) pendingSince = clock.now()
      pending.push(event)
    },
    flush,
    /** Polls in the background (standalone use); tests call flush() after advancing the clock instead. */
    start(everyRealMs = 100) {
      timer ??= setInterval(() => void flush(), everyRealMs).unref()
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = null
    },
    deliveries: (): readonly Delivery[] => history,
    /** One signed POST of an arbitrary body, e.g. a forged signature for a receiver's 403 test. */
    async sendRaw(body: string, signature?: string): Promise<number | null> {
      if (!config) throw new Error('no webhook endpoint configured')
      return post(body, signature ?? intuitSignature(config.verifierToken, body))
    },
    /** Sends a delivered batch again, byte for byte (a receiver must dedupe on CloudEvents `id`). */
    redeliver(id: number): Promise<number | null> {
      const d = history.find((x) => x.id === id)
      if (!d) throw new Error(`no delivery ${id}`)
      return post(d.body, d.signature)
    },
  }
}
export type WebhookSender = ReturnType<typeof createWebhookSender>
