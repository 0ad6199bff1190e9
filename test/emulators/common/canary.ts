import { randomBytes } from 'node:crypto'

/**
 * Every token and secret an emulator issues carries a marker, so a test can grep a database file
 * or a log for leaks (CERTIFICATION E-X12).
 */
export const CANARY = 'EMUCANARY'

export function issueSecret(kind: string): string {
  return `${kind}-${CANARY}-${randomBytes(18).toString('base64url')}`
}
