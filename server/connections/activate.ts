import type { ProviderId } from '../../shared/providers.ts'
import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { newId } from '../ids.ts'
import type { Logger } from '../logging/logger.ts'
import type { ProviderAdapter, ProviderOrganisation, TokenSet } from '../providers/provider.ts'
import { statusChanged, toOrganisation, type ConnectionRow, type TokenStore } from './token-store.ts'

export interface ProviderLookup {
  get(id: ProviderId): ProviderAdapter | undefined
}

/** The adapter of a provider this server is configured for, or a field error naming it. */
export function requireAdapter(providers: ProviderLookup, id: ProviderId): ProviderAdapter {
  const found = providers.get(id)
  if (!found)
    throw new AppError('validation_failed', {
      details: [{ path: 'provider', message: `${id} is not configured on this server` }],
    })
  return found
}

/** Turning a grant into the tenant's connection, and ending one at the provider. */
export function createActivation(deps: {
  db: Db
  store: TokenStore
  providers: ProviderLookup
  log: Logger
  now: () => number
}) {
  const { db, store, providers, log, now } = deps

  /** Ends a grant at the provider; a failure there is logged, never blocks the local disconnect. */
  async function revokeAtProvider(row: ConnectionRow) {
    const access = store.openAccess(row)
    const refresh = store.openRefresh(row)
    const p = providers.get(row.provider)
    if (!p || !access || !refresh) return
    try {
      if (p.organisations.disconnect) await p.organisations.disconnect(access, toOrganisation(row))
      await p.oauth.revoke({ accessToken: access, refreshToken: refresh })
    } catch (err) {
      log.warn('revocation at the provider failed', { provider: row.provider, connection: row.id, err })
    }
  }

  /**
   * Makes `org` the tenant's connection with these tokens: the same row as before when it is the
   * same organisation (a reconnect keeps every mapping and link), a new row otherwise. A connection
   * to anything else is disconnected first (the switch was confirmed when the consent started).
   */
  async function activate(
    attempt: { tenantId: string; userId: string; provider: ProviderId },
    connectedBy: string,
    org: ProviderOrganisation,
    set: TokenSet,
  ) {
    const t = now()
    const { replaced, row } = await db.transaction(async (tx) => {
      const current = await store.current(tx, attempt.tenantId)
      const same = current && current.provider === attempt.provider && current.organisation_id === org.id
      if (current && !same) await store.disconnect(tx, current.id, t)
      const existing = await store.find(tx, attempt.tenantId, attempt.provider, org.id)
      const id = existing?.id ?? newId('con', t)
      // The adapter's own value, kept as it wrote it (toOrganisation hands it back).
      const meta = org.meta ? JSON.stringify(org.meta) : null
      if (existing)
        await tx.run(
          `UPDATE connections SET organisation_name = ?, provider_meta = ?, status = 'active', connected_by_id = ?, connected_by_name = ?,
             connected_at = ?, disconnected_at = NULL, last_error = NULL, last_checked_at = ?, hard_expires_at = NULL, updated_at = ? WHERE id = ?`,
          [org.name, meta, attempt.userId, connectedBy, t, t, t, id],
        )
      else
        await tx.run(
          `INSERT INTO connections (id, tenant_id, provider, organisation_id, organisation_name, provider_meta, status,
             connected_by_id, connected_by_name, connected_at, last_checked_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)`,
          [
            id,
            attempt.tenantId,
            attempt.provider,
            org.id,
            org.name,
            meta,
            attempt.userId,
            connectedBy,
            t,
            t,
            t,
            t,
          ],
        )
      await store.saveTokens(tx, id, set, t)
      if (existing?.status !== 'active')
        await statusChanged(tx, id, 'active', existing?.status ?? null, null, t)
      return { replaced: current && !same ? current : null, row: (await store.byId(tx, id))! }
    })
    if (replaced) await revokeAtProvider(replaced)
    return row
  }

  return { activate, revokeAtProvider }
}

export type Activation = ReturnType<typeof createActivation>
