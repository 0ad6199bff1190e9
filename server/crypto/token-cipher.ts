import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/**
 * Provider tokens at rest: AES-256-GCM with a fresh 96-bit IV per value, the key id written beside
 * each ciphertext (`v1.<kid>.<iv>.<ciphertext+tag>`) so keys can rotate: the first key encrypts,
 * every listed key decrypts. The associated data binds a ciphertext to its row and column, so a
 * value copied into another row does not decrypt.
 */
export interface TokenKey {
  id: string
  key: Uint8Array
}

export function createTokenCipher(keys: readonly TokenKey[]) {
  const [current] = keys
  if (!current) throw new Error('at least one token encryption key is needed')
  const byId = new Map(keys.map((k) => [k.id, k.key]))
  return {
    currentKeyId: current.id,
    encrypt(plaintext: string, context: string): string {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', current.key, iv)
      cipher.setAAD(Buffer.from(context))
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
      return `v1.${current.id}.${iv.toString('base64url')}.${body.toString('base64url')}`
    },
    decrypt(sealed: string, context: string): string {
      const [version, kid = '', ivText = '', bodyText = ''] = sealed.split('.')
      const key = byId.get(kid)
      if (version !== 'v1' || !key) throw new Error(`no key ${kid} to decrypt this token`)
      const body = Buffer.from(bodyText, 'base64url')
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'))
      decipher.setAAD(Buffer.from(context))
      decipher.setAuthTag(body.subarray(body.length - 16))
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
        'utf8',
      )
    },
    /** Whether a value was sealed with a key other than the current one (to re-encrypt on rotation). */
    isStale: (sealed: string) => sealed.split('.')[1] !== current.id,
  }
}

export type TokenCipher = ReturnType<typeof createTokenCipher>
