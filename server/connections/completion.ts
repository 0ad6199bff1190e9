import type { CompletedConsent, Connection } from '../../shared/api/connections.ts'
import type { ProviderId } from '../../shared/providers.ts'
import type { AttemptRow, OAuthAttempts } from '../auth/oauth-state.ts'
import type { SessionUser } from '../auth/sessions.ts'
import type { TokenCipher } from '../crypto/token-cipher.ts'
import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../logging/logger.ts'
import type { ProviderOrganisation, TokenSet } from '../providers/provider.ts'
import { requireAdapter, type Activation, type ProviderLookup } from './activate.ts'
import { toConnection } from './token-store.ts'

/**
 * The end of a consent, after the callback kept its result: the completion by whoever started it
 * (see oauth-state.ts), which connects the one organisation or offers the choice, and the choice.
 */
export function createCompletion(deps: {
  db: Db
  cipher: TokenCipher
  providers: ProviderLookup
  attempts: OAuthAttempts
  activation: Activation
  log: Logger
  now: () => number
}) {
  const { db, cipher, providers, attempts, log, now } = deps
  const { activate } = deps.activation
  const sealed = (row: AttemptRow, column: string) =>
    JSON.parse(cipher.decrypt(column, `${row.id}:pending`)) as TokenSet

  /** Lets go of organisations at the provider (and, with `revoke`, of the whole grant); never throws. */
  async function release(provider: ProviderId, set: TokenSet, orgs: ProviderOrganisation[], revoke: boolean) {
    const p = requireAdapter(providers, provider)
    const warn = (err: unknown) => log.warn('could not release a grant at the provider', { provider, err })
    for (const org of orgs) await p.organisations.disconnect?.(set.accessToken, org).catch(warn)
    if (revoke) await p.oauth.revoke(set).catch(warn)
  }

  return {
    /**
     * The widget that started the consent hands back the completion secret its window received.
     * One organisation connects; several become the pending choice. A secret presented by anyone
     * else (another user, tenant or, in popup mode, session) is refused and the grant let go.
     */
    async complete(
      session: SessionUser,
      input: { attemptId: string; secret: string },
    ): Promise<CompletedConsent> {
      const { row, rightful } = await attempts.spendCompletion(input.attemptId, input.secret, {
        sessionId: session.session.id,
        userId: session.user.id,
        tenantId: session.tenant.id,
      })
      const orgs = JSON.parse(row.pending_organisations!) as ProviderOrganisation[]
      const set = sealed(row, row.exchanged_tokens!)
      if (!rightful) {
        log.warn('a consent was completed by someone who did not start it: refused, grant released', {
          attempt: row.id,
          mode: row.mode,
          startedBy: { tenant: row.tenant_id, user: row.user_id },
          completedBy: { tenant: session.tenant.id, user: session.user.id },
        })
        await release(row.provider, set, orgs, true)
        throw new AppError('oauth_state_invalid')
      }
      if (orgs.length > 1)
        return {
          outcome: 'choose',
          pendingChoice: {
            attemptId: row.id,
            provider: row.provider,
            organisations: orgs.map(({ id, name }) => ({ id, name })),
            expiresAt: new Date(row.expires_at).toISOString(),
          },
        }
      const connection = await activate(
        { tenantId: row.tenant_id, userId: row.user_id, provider: row.provider },
        session.user.name,
        orgs[0]!,
        set,
      )
      return { outcome: 'connected', connection: toConnection(connection) }
    },

    /** The user who completed a consent that covered several organisations picks one. */
    async choose(session: SessionUser, attemptId: string, organisationId: string): Promise<Connection> {
      const row = await attempts.getForTenant(db, attemptId, session.tenant.id)
      if (
        !row?.pending_tokens ||
        row.completed_at === null ||
        row.user_id !== session.user.id ||
        row.chosen_at !== null ||
        row.expires_at <= now()
      )
        throw new AppError('not_found', {
          message: 'This choice has expired or was already made. Connect again.',
        })
      const orgs = JSON.parse(row.pending_organisations!) as ProviderOrganisation[]
      const org = orgs.find((o) => o.id === organisationId)
      if (!org)
        throw new AppError('validation_failed', {
          details: [{ path: 'organisationId', message: 'Not one of the organisations you authorised' }],
        })
      const set = sealed(row, row.pending_tokens)
      if (!(await attempts.markChosen(db, row.id)))
        throw new AppError('not_found', { message: 'This choice was already made.' })
      const connection = await activate(
        { tenantId: row.tenant_id, userId: session.user.id, provider: row.provider },
        session.user.name,
        org,
        set,
      )
      // The organisations not chosen stay connected at the provider unless we let go of them.
      await release(
        row.provider,
        set,
        orgs.filter((o) => o.id !== org.id),
        false,
      )
      return toConnection(connection)
    },
  }
}
