import { hash, verify } from '@node-rs/argon2'

/**
 * Argon2id with OWASP's recommended floor (19 MiB, 2 passes, 1 lane): memory-hard, so a stolen
 * database is expensive to crack. The parameters travel inside the PHC string, so raising them
 * later still verifies old hashes.
 */
const PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS)
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

let dummy: Promise<string> | undefined
/** Verifying against this when the account does not exist keeps the timing of both answers alike. */
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword('not-a-real-password-used-for-timing'))
}
