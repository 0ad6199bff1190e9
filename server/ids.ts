import { randomBytes } from 'node:crypto'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'

/** Public id prefixes: an id says what it names (`inv_…`). */
export type IdPrefix =
  | 'usr'
  | 'hst'
  | 'ses'
  | 'key'
  | 'cus'
  | 'inv'
  | 'crn'
  | 'pay'
  | 'req'
  | 'ten'
  | 'con'
  | 'att'
  | 'job'
  | 'lin'
  | 'run'
  | 'whd'
  | 'evt'

/**
 * Base32 whose alphabet is in ASCII order, so that comparing two ids as strings compares their
 * bytes. (RFC 4648's `a–z2–7` puts the digits, which stand for the highest values, first.)
 */
const SORTABLE = '234567abcdefghijklmnopqrstuvwxyz'

function encodeSortable(bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += SORTABLE[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += SORTABLE[(buffer << (5 - bits)) & 31]
  return out
}

let lastTime = -1
let lastRandom = 0n
const RANDOM_MAX = (1n << 80n) - 1n

/**
 * A prefixed id that sorts by creation time: 48 bits of milliseconds, then 80 random bits, in
 * sortable base32 (26 characters). Within one millisecond the random part counts up, so ids made
 * by one process are strictly increasing; cursor pagination relies on "sort by id = sort by age".
 */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  let time = now
  let random: bigint
  if (time <= lastTime && lastRandom < RANDOM_MAX) {
    time = lastTime
    random = lastRandom + 1n
  } else {
    random = BigInt(`0x${randomBytes(10).toString('hex')}`)
  }
  lastTime = time
  lastRandom = random
  const bytes = new Uint8Array(16)
  let t = time
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256
    t = Math.floor(t / 256)
  }
  for (let i = 15; i >= 6; i--) {
    bytes[i] = Number(random & 255n)
    random >>= 8n
  }
  return `${prefix}_${encodeSortable(bytes)}`
}

const POOL_BYTES = 4096
let pool = randomBytes(POOL_BYTES)
let used = 0

/**
 * A prefixed id of the same shape as `newId`'s (26 characters, 130 random bits) that need not
 * sort: one per request, so it draws on a pool of random bytes instead of asking the system and
 * doing 128-bit arithmetic each time. Not for secrets: use `randomSecret`.
 */
export function newRandomId(prefix: IdPrefix): string {
  if (used + 26 > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES)
    used = 0
  }
  let out = `${prefix}_`
  for (let i = 0; i < 26; i++) out += SORTABLE[pool[used++]! & 31]
  return out
}

/** Random secret text with `bytes` of entropy, in lower-case base32 (Lucia's guide). */
export function randomSecret(bytes = 24): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(bytes))
}
