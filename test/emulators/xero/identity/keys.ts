import { generateKeyPairSync, type KeyPairKeyObjectResult } from 'node:crypto'
import { SignJWT, exportJWK } from 'jose'
import { CANARY } from '../../common/canary.ts'

/**
 * The RS256 key behind id tokens and access tokens. openid-client (inside xero-node) checks
 * id tokens against the JWKS with RS256 by default (PROVIDERS 5.1 pitfall 1).
 *
 * The key id carries the canary: a JWT's header is fixed, so every token this emulator signs starts
 * with the same encoded header, which `jwtCanaryPrefix` names for leak greps (E-X12).
 */
export interface Signer {
  sign(claims: Record<string, unknown>): Promise<string>
  jwks(): Promise<{ keys: Record<string, unknown>[] }>
  readonly jwtCanaryPrefix: string
}

// A 2048-bit RSA key takes tens of milliseconds to make, and a test run starts over a hundred
// emulators: one key per process serves them all. Tokens stay bound to their emulator, which
// looks each one up in its own store.
let keyPair: KeyPairKeyObjectResult | undefined

export function createSigner(): Signer {
  keyPair ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
  const { privateKey, publicKey } = keyPair
  const kid = `${CANARY}-xero-signing-key`
  const header = { alg: 'RS256', kid, typ: 'JWT' }
  return {
    jwtCanaryPrefix: Buffer.from(JSON.stringify(header)).toString('base64url'),
    sign: (claims) => new SignJWT(claims).setProtectedHeader(header).sign(privateKey),
    async jwks() {
      const jwk = await exportJWK(publicKey)
      return { keys: [{ ...jwk, kid, use: 'sig', alg: 'RS256', kty: 'RSA' }] }
    },
  }
}
