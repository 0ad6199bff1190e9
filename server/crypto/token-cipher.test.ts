import { randomBytes } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { createTokenCipher } from './token-cipher.ts'

const key = (id: string) => ({ id, key: randomBytes(32) })

describe('token cipher (AES-256-GCM with key ids)', () => {
  test('round-trips, never shows the plaintext, and uses a fresh IV each time', () => {
    const cipher = createTokenCipher([key('k1')])
    const a = cipher.encrypt('refresh-token-secret', 'con_1:refresh')
    const b = cipher.encrypt('refresh-token-secret', 'con_1:refresh')
    expect(a).toMatch(/^v1\.k1\./)
    expect(a).not.toContain('refresh-token-secret')
    expect(a).not.toBe(b)
    expect(cipher.decrypt(a, 'con_1:refresh')).toBe('refresh-token-secret')
  })

  test('a value moved to another row or column, or tampered with, does not decrypt', () => {
    const cipher = createTokenCipher([key('k1')])
    const sealed = cipher.encrypt('token', 'con_1:access')
    expect(() => cipher.decrypt(sealed, 'con_2:access')).toThrow()
    expect(() => cipher.decrypt(sealed, 'con_1:refresh')).toThrow()
    const parts = sealed.split('.')
    const body = Buffer.from(parts[3]!, 'base64url')
    body[0]! ^= 1
    parts[3] = body.toString('base64url')
    expect(() => cipher.decrypt(parts.join('.'), 'con_1:access')).toThrow()
  })

  test('keys rotate: the new key encrypts, old values still decrypt, and are known to be stale', () => {
    const old = key('2025')
    const sealedOld = createTokenCipher([old]).encrypt('token', 'ctx')
    const rotated = createTokenCipher([key('2026'), old])
    expect(rotated.decrypt(sealedOld, 'ctx')).toBe('token')
    expect(rotated.isStale(sealedOld)).toBe(true)
    expect(rotated.encrypt('token', 'ctx')).toMatch(/^v1\.2026\./)
    expect(() => createTokenCipher([key('other')]).decrypt(sealedOld, 'ctx')).toThrow(/no key 2025/)
  })
})
