import { randomBytes } from 'node:crypto'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'

/** Public id prefixes: an id says what it names (`inv_…`). */
export type IdPrefix = 'usr' | 'ses' | 'key' | 'cus' | 'inv' | 'crn' | 'pay' | 'req' | 'ten'

/**
 * A prefixed id that sorts by creation time: 48 bits of milliseconds, then 80 random bits, in
 * lower-case base32. Sorting by id is sorting by age, which cursor pagination relies on.
 */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  const bytes = new Uint8Array(16)
  let t = now
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256
    t = Math.floor(t / 256)
  }
  bytes.set(randomBytes(10), 6)
  return `${prefix}_${encodeBase32LowerCaseNoPadding(bytes)}`
}

/** Random secret text with `bytes` of entropy, in lower-case base32 (Lucia's guide). */
export function randomSecret(bytes = 24): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(bytes))
}
