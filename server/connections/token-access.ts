import type { ProviderId } from '../../shared/providers.ts'
import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../logging/logger.ts'
import { ProviderError, type ProviderAdapter, type ProviderErrorKind } from '../providers/provider.ts'
import { createRefreshLease, refreshTimeout } from './refresh-lease.ts'
import { toOrganisation, type ConnectionRow, type TokenStore } from './token-store.ts'
import { describeProviderError } from './provider-errors.ts'

/** Rounds of "wait for the lease, look again": enough for a holder to finish or a dead one to expire. */
export const MAX_REFRESH_ROUNDS = 3
/** Failures that say nothing about the grant: the caller retries, the connection is not at fault. */
const PASSING: ReadonlySet<ProviderErrorKind> = new Set(['transient', 'rate_limited'])

/**
 * Fresh access tokens for provider calls. A token is refreshed shortly before it expires and after
 * a 401, by exactly one caller per connection: concurrent callers in this process share one
 * promise, and across processes a lease in the connection's row decides; the holder re-reads the
 * row after acquiring it (someone may have refreshed meanwhile) and persists the new tokens before
 * anyone uses them, because Xero and Sage rotate refresh tokens and a lost one loses the connection.
 * Waiting for another process's lease has a deadline and the refresh a bounded number of rounds,
 * so no caller waits forever on a stuck holder or on a lease that others keep winning.
 */
export function createTokenAccess(deps: {
  db: Db
  store: TokenStore
  providers: { get(id: ProviderId): ProviderAdapter | undefined }
  now: () => number
  log: Logger
  /** Tests shorten the lease; production keeps LEASE_TTL_MS and LEASE_WAIT_MARGIN_MS. */
  lease?: { ttlMs?: number; marginMs?: number }
}) {
  const { db, store, providers, now, log } = deps
  const lease = createRefreshLease({ db, now, ...deps.lease })
  const inFlight = new Map<string, Promise<string>>()

  const adapterOf = (row: ConnectionRow) => {
    const adapter = providers.get(row.provider)
    if (!adapter)
      throw new AppError('provider_unavailable', {
        message: `${row.provider} is not configured on this server.`,
      })
    return adapter
  }

  async function load(id: string) {
    const row = await store.byId(db, id)
    if (!row || row.status === 'disconnected') throw new AppError('no_connection')
    if (row.status === 'expired') throw new AppError('connection_expired')
    if (row.status === 'revoked') throw new AppError('connection_revoked')
    return row
  }

  const isFresh = (row: ConnectionRow) =>
    row.access_expires_at !== null && row.access_expires_at - adapterOf(row).facts.refreshEarlyMs > now()

  /**
   * Records what a provider error says about the connection, and answers the error to throw. A rate
   * limit or an outage is about one call, not the connection: it is left off the row (nothing would
   * clear it later, so the panel would show it for good). An advisory call (a status check) records
   * only what is definite about the grant: expired or revoked.
   */
  async function record(row: ConnectionRow, err: ProviderError, advisory = false): Promise<AppError> {
    const described = describeProviderError(err, now())
    const grant = err.kind === 'auth' || err.kind === 'revoked'
    if (grant || (!advisory && !PASSING.has(err.kind))) {
      const status = err.kind === 'auth' ? 'expired' : err.kind === 'revoked' ? 'revoked' : 'error'
      await store.setStatus(db, row.id, status, described, now())
    }
    log.warn('provider refused the connection', {
      connection: row.id,
      provider: row.provider,
      kind: err.kind,
      correlationId: err.correlationId,
    })
    return new AppError(described.code, { message: err.message, cause: err })
  }

  const refreshedSince = (row: ConnectionRow, seenVersion: number | null) =>
    seenVersion === null ? isFresh(row) : row.token_version !== seenVersion

  /**
   * Refreshes under the lease unless the row shows someone else did since `seenVersion`. A round
   * ends when the lease is ours or free again; the wait for it has one deadline across all rounds.
   */
  async function refresh(id: string, seenVersion: number | null): Promise<string> {
    let deadline: number | null = null
    for (let round = 1; round <= MAX_REFRESH_ROUNDS; round++) {
      const me = await lease.tryAcquire(id)
      if (!me) {
        await lease.waitFree(id, (deadline ??= lease.waitDeadline()))
        const row = await load(id)
        if (refreshedSince(row, seenVersion)) return store.openAccess(row)!
        continue
      }
      try {
        const row = await load(id)
        if (refreshedSince(row, seenVersion)) return store.openAccess(row)!
        let set
        try {
          set = await adapterOf(row).oauth.refresh(store.openRefresh(row)!)
        } catch (err) {
          if (err instanceof ProviderError) throw await record(row, err)
          throw err
        }
        if (!(await store.saveTokens(db, id, set, now(), me)))
          throw new AppError('internal', { message: 'refresh lease lost' })
        return set.accessToken
      } finally {
        await lease.release(id, me)
      }
    }
    // Every round the lease came free without a new token and someone else took it first.
    throw refreshTimeout(id)
  }

  function collapse(id: string, seenVersion: number | null): Promise<string> {
    const key = `${id}:${seenVersion ?? 'early'}`
    let p = inFlight.get(key)
    if (!p) {
      p = refresh(id, seenVersion).finally(() => inFlight.delete(key))
      inFlight.set(key, p)
    }
    return p
  }

  async function accessToken(id: string): Promise<{ token: string; version: number }> {
    const row = await load(id)
    if (isFresh(row)) return { token: store.openAccess(row)!, version: row.token_version }
    const token = await collapse(id, null)
    return { token, version: (await load(id)).token_version }
  }

  return {
    accessToken: async (id: string) => (await accessToken(id)).token,

    /**
     * Runs a provider call with a fresh token; on a 401 refreshes once (one refresher) and tries
     * again. Provider errors about the grant mark the connection expired or revoked at once;
     * `advisory` calls (checks) leave every other failure off the connection. The sync engine asks
     * for `keepProviderError`: the connection is still updated, but the ProviderError itself (its
     * kind, Retry-After and correlation id) is what it gets back, since it alone decides what next.
     */
    async withAccessToken<T>(
      id: string,
      call: (accessToken: string) => Promise<T>,
      options: { advisory?: boolean; keepProviderError?: boolean } = {},
    ): Promise<T> {
      const fail = async (err: ProviderError) => {
        const described = await record(await load(id), err, options.advisory)
        return options.keepProviderError ? err : described
      }
      const first = await accessToken(id)
      try {
        return await call(first.token)
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err
        if (err.kind === 'auth' && err.status === 401) {
          const token = await collapse(id, first.version)
          try {
            return await call(token)
          } catch (again) {
            if (again instanceof ProviderError) throw await fail(again)
            throw again
          }
        }
        throw await fail(err)
      }
    },

    /** Refreshes idle grants before they die unused (Xero 60 days, Sage 31, QuickBooks 100). */
    async keepAlive(): Promise<number> {
      const rows = await db.all<ConnectionRow>("SELECT * FROM connections WHERE status = 'active'")
      let refreshed = 0
      for (const row of rows) {
        const adapter = providers.get(row.provider)
        if (
          !adapter ||
          now() - (row.refreshed_at ?? row.connected_at) < adapter.facts.idleRefreshExpiryMs / 2
        )
          continue
        try {
          await collapse(row.id, row.token_version)
          refreshed++
        } catch (err) {
          log.warn('keep-alive refresh failed', { connection: row.id, err })
        }
      }
      return refreshed
    },

    organisationOf: toOrganisation,
  }
}
