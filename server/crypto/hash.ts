import { hash, timingSafeEqual } from 'node:crypto'

/**
 * SHA-256 of a high-entropy secret (session and API-key secrets need no slow hash). Node's own
 * one-shot hash: every request hashes the secret it presents, and this is the cheapest way there.
 */
export function hashSecret(secret: string): Uint8Array {
  const digest = hash('sha256', secret, 'buffer')
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: Uint8Array | ArrayBuffer): boolean {
  const stored = storedHash instanceof Uint8Array ? storedHash : new Uint8Array(storedHash)
  const presented = hashSecret(secret)
  return presented.byteLength === stored.byteLength && timingSafeEqual(presented, stored)
}
