import { createHmac, randomBytes } from 'node:crypto'

/** `x-xero-signature`: base64 HMAC-SHA256 of the raw body bytes, keyed by the webhook key (PROVIDERS 1.11). */
export function signXeroWebhook(rawBody: string, key: string): string {
  return createHmac('sha256', key).update(rawBody, 'utf8').digest('base64')
}

/** The payload's `entropy`: 20 upper-case letters, as in the [spec] example. */
export function entropy(): string {
  return [...randomBytes(20)].map((b) => String.fromCharCode(65 + (b % 26))).join('')
}
