import type { ProviderId } from '../../shared/providers.ts'
import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../logging/logger.ts'
import { ProviderError, type ProviderAdapter } from '../providers/provider.ts'
import { createRefreshLease } from './refresh-lease.ts'
import { toOrganisation, type ConnectionRow, type TokenStore } from './token-store.ts'
import { describeProviderError } from './provider-errors.ts'

/**
 * Fresh access tokens for provider calls. A token is refreshed shortly before it expires and after
 * a 401, by exactly one caller per connection: concurrent callers in this process share one
 * promise, and across processes a lease in the connection's row decides; the holder re-reads the
 * row after acquiring it (someone may have refreshed meanwhile) and persists the new tokens before
 * anyone uses them, because Xero and Sage rotate refresh tokens and a lost one loses the connection.
 */
export function createTokenAccess(deps: {
  db: Db
  store: TokenStore
  providers: { get(id: ProviderId): ProviderAdapter | undefined }
  now: () => number
  log: Logger
}) {
  const { db, store, providers, now, log } = deps
  const lease = createRefreshLease({ db, now })
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

  /** Records what a provider error says about the connection, and answers the error to throw. */
  async function record(row: ConnectionRow, err: ProviderError): Promise<AppError> {
    const described = describeProviderError(err, now())
    const status =
      err.kind === 'auth'
        ? 'expired'
        : err.kind === 'revoked'
          ? 'revoked'
          : err.kind === 'transient' || err.kind === 'rate_limited'
            ? row.status
            : 'error'
    await store.setStatus(db, row.id, status, described, now())
    log.warn('provider refused the connection', {
      connection: row.id,
      provider: row.provider,
      kind: err.kind,
      correlationId: err.correlationId,
    })
    return new AppError(described.code, { message: err.message, cause: err })
  }

  /** Refreshes under the lease unless the row shows someone else did since `seenVersion`. */
  async function refresh(id: string, seenVersion: number | null): Promise<string> {
    for (;;) {
      const me = await lease.tryAcquire(id)
      if (!me) {
        await lease.waitFree(id)
        const row = await load(id)
        if (seenVersion === null ? isFresh(row) : row.token_version !== seenVersion)
          return store.openAccess(row)!
        continue
      }
      try {
        const row = await load(id)
        if (seenVersion === null ? isFresh(row) : row.token_version !== seenVersion)
          return store.openAccess(row)!
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
     * again. Provider errors about the grant mark the connection expired or revoked at once.
     */
    async withAccessToken<T>(id: string, call: (accessToken: string) => Promise<T>): Promise<T> {
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
            if (again instanceof ProviderError) throw await record(await load(id), again)
            throw again
          }
        }
        throw await record(await load(id), err)
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
