import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'
import { QBO } from '../facts.ts'

/**
 * RS256 id_tokens as intuit-oauth's validateIdToken() expects them (PROVIDERS 5.2 pitfall 2): the fixed
 * Intuit issuer, `aud` as an array holding the client id, a `kid` present in the JWKS with RSA n and e.
 */
// Making an RSA key costs tens of milliseconds and a test run starts over a hundred emulators, so
// one key pair per process serves them all; each emulator still names it with its own kid.
let keyPair: ReturnType<typeof generateKeyPair> | undefined

export async function createIdTokenSigner() {
  keyPair ??= generateKeyPair('RS256', { extractable: true })
  const { privateKey, publicKey } = await keyPair
  const kid = `qbo-emu-${Date.now().toString(36)}`
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  return {
    jwks: () => ({ keys: [jwk] }),
    sign: (claims: {
      sub: string
      aud: string
      realmId: string | null
      nowMs: number
      expiresAtMs: number
    }) =>
      new SignJWT({
        aud: [claims.aud],
        auth_time: Math.floor(claims.nowMs / 1000),
        ...(claims.realmId ? { realmid: claims.realmId } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(QBO.issuer)
        .setSubject(claims.sub)
        .setIssuedAt(Math.floor(claims.nowMs / 1000))
        .setExpirationTime(Math.floor(claims.expiresAtMs / 1000))
        .sign(privateKey),
  }
}
export type IdTokenSigner = Awaited<ReturnType<typeof createIdTokenSigner>>
