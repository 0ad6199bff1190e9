import { createHash, randomBytes } from 'node:crypto'
import type { ProviderId } from '../../shared/providers.ts'
import type { Db, Queryable } from '../db/client.ts'
import type { TokenCipher } from '../crypto/token-cipher.ts'
import { AppError } from '../errors.ts'
import { newId } from '../ids.ts'

/**
 * OAuth consents in progress. The state sent to the provider is random and stored hashed; the
 * PKCE verifier is sealed. An attempt is bound to the session that started it and, as the browser
 * passes through `/v1/oauth/begin` on its way to the provider, to that browser by a first-party
 * cookie: a code delivered to another browser, or replayed, is refused. Single use; ten minutes.
 */
export const ATTEMPT_TTL_MS = 10 * 60_000

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url')
const random = () => randomBytes(32).toString('base64url')

export interface Attempt {
  id: string
  tenantId: string
  userId: string
  sessionId: string
  provider: ProviderId
  codeVerifier: string
  redirectUri: string
  mode: 'popup' | 'redirect'
  returnTo: string | null
  openerOrigin: string
  expiresAt: number
}

interface AttemptRow {
  id: string
  tenant_id: string
  user_id: string
  session_id: string
  provider: ProviderId
  code_verifier: string
  code_challenge: string
  redirect_uri: string
  mode: 'popup' | 'redirect'
  return_to: string | null
  opener_origin: string
  expires_at: number
  binding_hash: string | null
  begun_at: number | null
  used_at: number | null
  pending_tokens: string | null
  pending_grant: string | null
  pending_organisations: string | null
  chosen_at: number | null
  created_at: number
}

export function createOAuthAttempts(deps: { db: Db; cipher: TokenCipher; now: () => number }) {
  const { db, cipher, now } = deps
  const toAttempt = (r: AttemptRow): Attempt => ({
    id: r.id,
    tenantId: r.tenant_id,
    userId: r.user_id,
    sessionId: r.session_id,
    provider: r.provider,
    codeVerifier: cipher.decrypt(r.code_verifier, `${r.id}:verifier`),
    redirectUri: r.redirect_uri,
    mode: r.mode,
    returnTo: r.return_to,
    openerOrigin: r.opener_origin,
    expiresAt: r.expires_at,
  })

  return {
    async create(input: Omit<Attempt, 'id' | 'codeVerifier' | 'expiresAt'>) {
      const id = newId('att', now())
      const state = random()
      const codeVerifier = random()
      const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url')
      const expiresAt = now() + ATTEMPT_TTL_MS
      await db.run(
        `INSERT INTO oauth_attempts (id, state_hash, code_challenge, tenant_id, user_id, session_id, provider, code_verifier,
           redirect_uri, mode, return_to, opener_origin, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          sha256(state),
          codeChallenge,
          input.tenantId,
          input.userId,
          input.sessionId,
          input.provider,
          cipher.encrypt(codeVerifier, `${id}:verifier`),
          input.redirectUri,
          input.mode,
          input.returnTo,
          input.openerOrigin,
          now(),
          expiresAt,
        ],
      )
      return { id, state, expiresAt }
    },

    /**
     * The browser passes through /v1/oauth/begin on its way to the consent page: the attempt is
     * bound to it by the cookie value answered here. A second pass is refused.
     */
    async begin(state: string) {
      const row = await db.get<AttemptRow>('SELECT * FROM oauth_attempts WHERE state_hash = ?', [
        sha256(state),
      ])
      const binding = random()
      const { changes } = row
        ? await db.run(
            `UPDATE oauth_attempts SET binding_hash = ?, begun_at = ?
             WHERE id = ? AND begun_at IS NULL AND used_at IS NULL AND expires_at > ?`,
            [sha256(binding), now(), row.id, now()],
          )
        : { changes: 0 }
      if (!row || changes !== 1) throw new AppError('oauth_state_invalid')
      return { binding, attempt: toAttempt(row), codeChallenge: row.code_challenge }
    },

    /**
     * Spends the state: the attempt it names, if the browser holds the binding cookie of that
     * attempt (`bindingOf(attemptId)`) and the attempt is fresh and unused.
     */
    async consume(state: string, bindingOf: (attemptId: string) => string | undefined): Promise<Attempt> {
      const row = await db.get<AttemptRow>('SELECT * FROM oauth_attempts WHERE state_hash = ?', [
        sha256(state),
      ])
      const binding = row && bindingOf(row.id)
      if (!row || !row.binding_hash || !binding || sha256(binding) !== row.binding_hash)
        throw new AppError('oauth_state_invalid')
      const { changes } = await db.run(
        'UPDATE oauth_attempts SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?',
        [now(), row.id, now()],
      )
      if (changes !== 1) throw new AppError('oauth_state_invalid')
      return toAttempt(row)
    },

    /** The attempt a session may still act on (choose an organisation). */
    async getForTenant(q: Queryable, attemptId: string, tenantId: string): Promise<AttemptRow | undefined> {
      return q.get<AttemptRow>('SELECT * FROM oauth_attempts WHERE id = ? AND tenant_id = ?', [
        attemptId,
        tenantId,
      ])
    },

    async savePending(attemptId: string, sealedTokens: string, grant: unknown, organisations: unknown) {
      await db.run(
        'UPDATE oauth_attempts SET pending_tokens = ?, pending_grant = ?, pending_organisations = ?, expires_at = ? WHERE id = ?',
        [
          sealedTokens,
          JSON.stringify(grant),
          JSON.stringify(organisations),
          now() + ATTEMPT_TTL_MS,
          attemptId,
        ],
      )
    },

    async markChosen(q: Queryable, attemptId: string): Promise<boolean> {
      const { changes } = await q.run(
        'UPDATE oauth_attempts SET chosen_at = ?, pending_tokens = NULL WHERE id = ? AND chosen_at IS NULL AND expires_at > ?',
        [now(), attemptId, now()],
      )
      return changes === 1
    },

    async deleteExpired() {
      return (await db.run('DELETE FROM oauth_attempts WHERE expires_at <= ?', [now() - ATTEMPT_TTL_MS]))
        .changes
    },
  }
}

export type OAuthAttempts = ReturnType<typeof createOAuthAttempts>
export type { AttemptRow }
