import type { Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import type { ConnectionRow } from '../connections/token-store.ts'

/** The job's connection, or the error that says why it cannot be used (the job fails with it). */
export async function activeConnectionOf(q: Queryable, connectionId: string): Promise<ConnectionRow> {
  const conn = await q.get<ConnectionRow>('SELECT * FROM connections WHERE id = ?', [connectionId])
  if (!conn || conn.status !== 'active')
    throw new AppError(
      conn?.status === 'revoked'
        ? 'connection_revoked'
        : conn?.status === 'expired'
          ? 'connection_expired'
          : 'no_connection',
    )
  return conn
}
