import type { Connection, ConnectionStatus } from '../../shared/api/connections.ts'
import type { ErrorCode } from '../../shared/errors.ts'
import type { ProviderId } from '../../shared/providers.ts'
import type { Queryable } from '../db/client.ts'
import { emitEvent } from '../events/log.ts'
import type { TokenCipher } from '../crypto/token-cipher.ts'
import type { ProviderMeta, ProviderOrganisation, TokenSet } from '../providers/provider.ts'

/**
 * The connections table, with its tokens sealed on the way in and opened on the way out. Nothing
 * outside this file sees a ciphertext, and nothing here logs a token.
 */
export interface ConnectionRow {
  id: string
  tenant_id: string
  provider: ProviderId
  organisation_id: string
  organisation_name: string
  provider_meta: string | null
  status: ConnectionStatus | 'disconnected'
  connected_by_id: string
  connected_by_name: string
  connected_at: number
  disconnected_at: number | null
  last_sync_at: number | null
  last_error: string | null
  last_checked_at: number | null
  /** When the provider's side last said access may be gone (QuickBooks' Disconnect URL), not yet checked. */
  check_requested_at: number | null
  access_token: string | null
  refresh_token: string | null
  access_expires_at: number | null
  refresh_expires_at: number | null
  hard_expires_at: number | null
  token_version: number
  refreshed_at: number | null
  lease_owner: string | null
  lease_expires_at: number | null
}

interface PendingColumns {
  pending_id: string | null
  pending_provider: ProviderId | null
  pending_organisations: string | null
  pending_expires_at: number | null
}

export interface LastError {
  code: ErrorCode
  message: string
  correlationId: string | null
  at: string
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function toConnection(r: ConnectionRow): Connection {
  return {
    id: r.id,
    provider: r.provider,
    organisation: { id: r.organisation_id, name: r.organisation_name },
    status: r.status === 'disconnected' ? 'error' : r.status,
    connectedBy: { id: r.connected_by_id, name: r.connected_by_name },
    connectedAt: iso(r.connected_at)!,
    lastSyncAt: iso(r.last_sync_at),
    lastError: r.last_error ? (JSON.parse(r.last_error) as LastError) : null,
    reconnectBy: iso(r.hard_expires_at),
  }
}

/** The organisation as its adapter described it, with the adapter's own metadata untouched. */
export function toOrganisation(r: ConnectionRow): ProviderOrganisation {
  return {
    id: r.organisation_id,
    name: r.organisation_name,
    ...(r.provider_meta ? { meta: JSON.parse(r.provider_meta) as ProviderMeta } : {}),
  }
}

/**
 * Tells the host (the event log) a connection's status changed: expired, revoked, in error,
 * disconnected, or active again (restored, connected).
 */
export function statusChanged(
  q: Queryable,
  id: string,
  status: ConnectionRow['status'],
  previous: ConnectionRow['status'] | null,
  lastError: LastError | null,
  now: number,
) {
  return emitEvent(
    q,
    { connectionId: id },
    'connection.status_changed',
    { kind: 'connection', id },
    { status, previous, lastError },
    now,
  )
}

export function createTokenStore(cipher: TokenCipher) {
  const seal = (id: string, field: 'access' | 'refresh', value: string) =>
    cipher.encrypt(value, `${id}:${field}`)
  return {
    async current(q: Queryable, tenantId: string): Promise<ConnectionRow | undefined> {
      return q.get<ConnectionRow>(
        "SELECT * FROM connections WHERE tenant_id = ? AND status <> 'disconnected'",
        [tenantId],
      )
    },
    /** The tenant's connection and its newest pending organisation choice, in one read. */
    async view(q: Queryable, tenantId: string, now: number) {
      const r = await q.get<ConnectionRow & PendingColumns>(
        `SELECT c.*, p.id AS pending_id, p.provider AS pending_provider, p.pending_organisations AS pending_organisations,
           p.expires_at AS pending_expires_at
         FROM (SELECT ?1 AS tenant_id) t
         LEFT JOIN connections c ON c.tenant_id = t.tenant_id AND c.status <> 'disconnected'
         LEFT JOIN oauth_attempts p ON p.id = (
           SELECT id FROM oauth_attempts WHERE tenant_id = t.tenant_id AND pending_tokens IS NOT NULL AND chosen_at IS NULL
             AND expires_at > ?2 ORDER BY created_at DESC LIMIT 1)`,
        [tenantId, now],
      )
      const { pending_id, pending_provider, pending_organisations, pending_expires_at, ...connection } = r!
      return {
        connection: connection.id ? connection : undefined,
        pending: pending_id
          ? {
              id: pending_id,
              provider: pending_provider!,
              organisations: pending_organisations!,
              expiresAt: pending_expires_at!,
            }
          : undefined,
      }
    },
    async byId(q: Queryable, id: string): Promise<ConnectionRow | undefined> {
      return q.get<ConnectionRow>('SELECT * FROM connections WHERE id = ?', [id])
    },
    async find(q: Queryable, tenantId: string, provider: ProviderId, organisationId: string) {
      return q.get<ConnectionRow>(
        'SELECT * FROM connections WHERE tenant_id = ? AND provider = ? AND organisation_id = ?',
        [tenantId, provider, organisationId],
      )
    },

    openAccess: (r: ConnectionRow) =>
      r.access_token ? cipher.decrypt(r.access_token, `${r.id}:access`) : null,
    openRefresh: (r: ConnectionRow) =>
      r.refresh_token ? cipher.decrypt(r.refresh_token, `${r.id}:refresh`) : null,

    /** Writes new tokens; with `leaseOwner`, only while that lease is still held. */
    async saveTokens(
      q: Queryable,
      id: string,
      tokens: TokenSet,
      now: number,
      leaseOwner?: string,
    ): Promise<boolean> {
      const { changes } = await q.run(
        `UPDATE connections SET access_token = ?, refresh_token = ?, access_expires_at = ?, refresh_expires_at = ?,
           hard_expires_at = COALESCE(?, hard_expires_at), token_version = token_version + 1, refreshed_at = ?, updated_at = ?
         WHERE id = ? ${leaseOwner ? 'AND lease_owner = ?' : ''}`,
        [
          seal(id, 'access', tokens.accessToken),
          seal(id, 'refresh', tokens.refreshToken),
          tokens.expiresAt,
          tokens.refreshExpiresAt,
          tokens.hardExpiresAt,
          now,
          now,
          id,
          ...(leaseOwner ? [leaseOwner] : []),
        ],
      )
      return changes === 1
    },

    /** Sets the status; with `from`, only if the row still has that status (answers whether it did). */
    async setStatus(
      q: Queryable,
      id: string,
      status: ConnectionRow['status'],
      lastError: LastError | null,
      now: number,
      from?: ConnectionRow['status'],
    ): Promise<boolean> {
      const before = await q.get<{ status: ConnectionRow['status'] }>(
        'SELECT status FROM connections WHERE id = ?',
        [id],
      )
      const { changes } = await q.run(
        `UPDATE connections SET status = ?, last_error = ?, last_checked_at = ?, updated_at = ?
         WHERE id = ? ${from ? 'AND status = ?' : ''}`,
        [status, lastError && JSON.stringify(lastError), now, now, id, ...(from ? [from] : [])],
      )
      if (changes === 1 && before && before.status !== status)
        await statusChanged(q, id, status, before.status, lastError, now)
      return changes === 1
    },

    /** Keeps the row (history, mappings, links) and forgets the tokens. */
    async disconnect(q: Queryable, id: string, now: number) {
      const before = await q.get<{ status: ConnectionRow['status'] }>(
        'SELECT status FROM connections WHERE id = ?',
        [id],
      )
      if (before && before.status !== 'disconnected')
        await statusChanged(q, id, 'disconnected', before.status, null, now)
      await q.run(
        `UPDATE connections SET status = 'disconnected', disconnected_at = ?, access_token = NULL, refresh_token = NULL,
           access_expires_at = NULL, refresh_expires_at = NULL, lease_owner = NULL, lease_expires_at = NULL,
           check_requested_at = NULL, updated_at = ?
         WHERE id = ?`,
        [now, now, id],
      )
    },
  }
}

export type TokenStore = ReturnType<typeof createTokenStore>
