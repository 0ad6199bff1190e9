import { sha256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'

const encoder = new TextEncoder()

/** SHA-256 of a high-entropy secret (session and API-key secrets need no slow hash). */
export function hashSecret(secret: string): Uint8Array {
  return sha256(encoder.encode(secret))
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: Uint8Array | ArrayBuffer): boolean {
  const stored = storedHash instanceof Uint8Array ? storedHash : new Uint8Array(storedHash)
  return constantTimeEqual(hashSecret(secret), stored)
}
