import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Whether `signature` is base64(HMAC-SHA256(key, body)) of the body's bytes as they came, the way
 * Xero (`x-xero-signature`) and Intuit (`intuit-signature`) sign (PROVIDERS 1.11, 2.8): computed
 * before any parsing, compared in constant time. A missing signature, or one of another length, is
 * simply not it.
 */
export function signatureHolds(raw: Uint8Array, signature: string | undefined, key: string): boolean {
  if (!signature) return false
  const expected = Buffer.from(createHmac('sha256', key).update(raw).digest('base64'), 'utf8')
  const given = Buffer.from(signature, 'utf8')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
