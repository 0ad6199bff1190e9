import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
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
 *
 * The callback connects nothing: anyone can be sent a begin link and approve it. It keeps the code
 * exchange's result, sealed, and hands a one-time completion secret to the window that started the
 * consent (popup: a message to its opener's origin; redirect: the returnTo URL). The widget holding
 * the starting session spends it (`spendCompletion`); only then does anything connect.
 */
export const ATTEMPT_TTL_MS = 10 * 60_000

/**
 * Starting a consent stores a row and opens a session at the provider, so it is bounded: per
 * tenant, consents not yet back from the provider within an attempt's lifetime; per session, starts
 * in a minute. Counted by the insert itself, in one statement, so concurrent starts cannot exceed them.
 */
export const CONSENT_LIMITS = {
  tenant: { limit: 10, windowMs: ATTEMPT_TTL_MS },
  session: { limit: 5, windowMs: 60_000 },
} as const

/** The rows each limit counts: ?1 the tenant or session id, ?2 the start of the window. */
const COUNTED = {
  tenant: 'tenant_id = ? AND used_at IS NULL AND created_at > ?',
  session: 'session_id = ? AND created_at > ?',
} as const

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url')
const random = () => randomBytes(32).toString('base64url')
const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/** Who asks to complete a consent: the session of the widget that received the secret. */
export interface Completer {
  sessionId: string
  userId: string
  tenantId: string
}

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
  exchanged_tokens: string | null
  completion_hash: string | null
  completed_at: number | null
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

  /** Seconds until the fullest limit frees a slot (at least 1: a slot may free sooner). */
  async function retryAfter(keys: Record<keyof typeof CONSENT_LIMITS, string>, at: number) {
    let waitMs = 1000
    for (const kind of ['tenant', 'session'] as const) {
      const { limit, windowMs } = CONSENT_LIMITS[kind]
      const r = await db.get<{ n: number; oldest: number | null }>(
        `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM oauth_attempts WHERE ${COUNTED[kind]}`,
        [keys[kind], at - windowMs],
      )
      if (r && r.n >= limit && r.oldest !== null) waitMs = Math.max(waitMs, r.oldest + windowMs - at)
    }
    return Math.ceil(waitMs / 1000)
  }

  return {
    /** Stores a new consent, or throws consent_rate_limited (with Retry-After) past CONSENT_LIMITS. */
    async create(input: Omit<Attempt, 'id' | 'codeVerifier' | 'expiresAt'>) {
      const at = now()
      const id = newId('att', at)
      const state = random()
      const codeVerifier = random()
      const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url')
      const expiresAt = at + ATTEMPT_TTL_MS
      const { tenant, session } = CONSENT_LIMITS
      const { changes } = await db.run(
        `INSERT INTO oauth_attempts (id, state_hash, code_challenge, tenant_id, user_id, session_id, provider, code_verifier,
           redirect_uri, mode, return_to, opener_origin, created_at, expires_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
         WHERE (SELECT COUNT(*) FROM oauth_attempts WHERE ${COUNTED.tenant}) < ?
           AND (SELECT COUNT(*) FROM oauth_attempts WHERE ${COUNTED.session}) < ?`,
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
          at,
          expiresAt,
          input.tenantId,
          at - tenant.windowMs,
          tenant.limit,
          input.sessionId,
          at - session.windowMs,
          session.limit,
        ],
      )
      if (changes !== 1)
        throw new AppError('consent_rate_limited', {
          headers: {
            'Retry-After': String(await retryAfter({ tenant: input.tenantId, session: input.sessionId }, at)),
          },
        })
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

    /** The attempt a tenant's session may still act on (choose an organisation). */
    async getForTenant(q: Queryable, attemptId: string, tenantId: string): Promise<AttemptRow | undefined> {
      return q.get<AttemptRow>('SELECT * FROM oauth_attempts WHERE id = ? AND tenant_id = ?', [
        attemptId,
        tenantId,
      ])
    },

    /**
     * Keeps what the code exchange gave (tokens sealed, organisations) for the completion, and
     * answers the one-time secret that completes it (only its hash is stored).
     */
    async saveExchange(attemptId: string, sealedTokens: string, grant: unknown, organisations: unknown) {
      const secret = random()
      await db.run(
        `UPDATE oauth_attempts SET exchanged_tokens = ?, pending_grant = ?, pending_organisations = ?, completion_hash = ?,
           expires_at = ? WHERE id = ?`,
        [
          sealedTokens,
          JSON.stringify(grant),
          JSON.stringify(organisations),
          sha256(secret),
          now() + ATTEMPT_TTL_MS,
          attemptId,
        ],
      )
      return secret
    },

    /**
     * Spends a completion secret (compared in constant time; single use; before expiry) and says
     * whether `who` may complete the consent: in popup mode only the session that started it; in
     * redirect mode, where the page reloaded with a new session, the same user of the same tenant.
     * A matching secret is spent either way: one that reached anyone else has leaked. With several
     * organisations, a rightful completion turns the sealed tokens into the pending choice.
     */
    async spendCompletion(attemptId: string, secret: string, who: Completer) {
      const at = now()
      const row = await db.get<AttemptRow>('SELECT * FROM oauth_attempts WHERE id = ?', [attemptId])
      if (!row?.completion_hash || row.completed_at !== null || row.expires_at <= at)
        throw new AppError('oauth_state_invalid')
      if (!sameHash(sha256(secret), row.completion_hash)) throw new AppError('oauth_state_invalid')
      const rightful =
        row.tenant_id === who.tenantId &&
        row.user_id === who.userId &&
        (row.mode === 'redirect' || row.session_id === who.sessionId)
      const several = rightful && (JSON.parse(row.pending_organisations ?? '[]') as unknown[]).length > 1
      const { changes } = await db.run(
        `UPDATE oauth_attempts SET completed_at = ?, completion_hash = NULL, exchanged_tokens = NULL,
           pending_tokens = CASE WHEN ? THEN exchanged_tokens END
         WHERE id = ? AND completion_hash = ? AND completed_at IS NULL AND expires_at > ?`,
        [at, several ? 1 : 0, row.id, row.completion_hash, at],
      )
      if (changes !== 1) throw new AppError('oauth_state_invalid')
      return { row, rightful }
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
