import { PROVIDERS } from '../../shared/providers.ts'
import type { Config, ConfigKey } from '../config.ts'
import { AppError } from '../errors.ts'
import type { ProviderEvents } from '../sync/provider-events.ts'
import type { WebhookRead } from './payload.ts'
import { readQuickBooksDelivery } from './quickbooks.ts'
import { signatureHolds } from './signature.ts'
import { readXeroDelivery } from './xero.ts'

/** What receiving one provider's webhooks takes: where its signature comes, its key's setting, its reader. */
export interface WebhookReceiver {
  signatureHeader: string
  /** The variable holding the signing key (config `webhookKeys`), named when it is missing. */
  setting: ConfigKey
  read(body: string): WebhookRead
}

/** One line per provider that sends webhooks (its facts say `webhooks: true`). */
export const WEBHOOK_RECEIVERS = {
  xero: {
    signatureHeader: 'x-xero-signature',
    setting: 'XERO_WEBHOOK_KEY',
    read: readXeroDelivery,
  },
  quickbooks: {
    signatureHeader: 'intuit-signature',
    setting: 'QUICKBOOKS_WEBHOOK_VERIFIER',
    read: readQuickBooksDelivery,
  },
} as const satisfies Record<keyof Config['webhookKeys'], WebhookReceiver>

export type WebhookProvider = keyof typeof WEBHOOK_RECEIVERS

export type WebhookOutcome =
  | { outcome: 'unsigned' }
  | { outcome: 'malformed'; deliveryId: string; problem: string }
  | { outcome: 'accepted'; deliveryId: string; stored: number; duplicates: number; unknown: number }

const utf8 = new TextDecoder('utf-8', { fatal: true })
const lossy = new TextDecoder('utf-8')
const textOf = (raw: Uint8Array) => {
  try {
    return utf8.decode(raw)
  } catch {
    return null
  }
}

/**
 * One delivery as it reached us: the signature checked over the raw bytes before anything reads
 * them, then its events stored once each, with the job that processes them queued (never a
 * provider call here: the provider waits only a few seconds). A signed body that cannot be read
 * is kept for inspection. Nothing of an unsigned delivery is kept.
 */
export async function receiveWebhook(
  deps: { events: ProviderEvents; key: string | null },
  provider: WebhookProvider,
  delivery: { raw: Uint8Array; signature: string | undefined; contentType: string | null },
): Promise<WebhookOutcome> {
  const receiver: WebhookReceiver = WEBHOOK_RECEIVERS[provider]
  if (!deps.key)
    throw new AppError('webhooks_not_configured', {
      message: `Webhooks from ${PROVIDERS[provider].name} are not configured: set ${receiver.setting}.`,
    })
  if (!signatureHolds(delivery.raw, delivery.signature, deps.key)) return { outcome: 'unsigned' }
  const text = textOf(delivery.raw)
  const read: WebhookRead = text === null ? { problem: 'not UTF-8 text' } : receiver.read(text)
  const kept = { contentType: delivery.contentType, body: text ?? lossy.decode(delivery.raw) }
  if ('problem' in read) {
    const { deliveryId } = await deps.events.malformed(provider, kept, read.problem)
    return { outcome: 'malformed', deliveryId, problem: read.problem }
  }
  return { outcome: 'accepted', ...(await deps.events.receive(provider, kept, read.events)) }
}
