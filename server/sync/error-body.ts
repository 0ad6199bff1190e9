import { createHash } from 'node:crypto'
import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import type { Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { ProviderError } from '../providers/provider.ts'
import type { RecordKind, SyncErrorBody } from './sync-repo.ts'

/** What a record's failure says to the bookkeeper: our code, and the provider's own words and id. */
export function errorBody(err: unknown, final: boolean, kind: RecordKind = 'invoice'): SyncErrorBody {
  if (err instanceof ProviderError) {
    const code =
      err.kind === 'locked'
        ? kind === 'payment'
          ? 'payment_locked'
          : 'invoice_locked'
        : err.kind === 'validation' || err.kind === 'conflict'
          ? 'provider_refused'
          : 'provider_error'
    return {
      code,
      message: err.message,
      providerMessage: err.message,
      correlationId: err.correlationId,
      final,
    }
  }
  if (err instanceof AppError)
    return { code: err.code, message: err.message, providerMessage: null, correlationId: null, final }
  return {
    code: 'internal',
    message: 'Something went wrong on our side.',
    providerMessage: null,
    correlationId: null,
    final,
  }
}

/** The connection's own faults: every record of the job would meet them, and the panel says what to do. */
const CONNECTION_CODES = new Set([
  'no_connection',
  'connection_expired',
  'connection_revoked',
  'provider_unavailable',
])

/**
 * Faults of the whole job, thrown to it rather than recorded on one record: the provider may
 * answer next time (it retries), or the connection is gone (it fails, and each of its records
 * says so). The rest fail the record alone.
 */
export const retriesJob = (err: unknown): boolean =>
  (err instanceof ProviderError &&
    (err.kind === 'transient' || err.kind === 'rate_limited' || err.kind === 'auth')) ||
  (err instanceof AppError && CONNECTION_CODES.has(err.code))

/** A short digest of the records a request carries, at their versions: part of its idempotency key. */
export const contentKey = (records: readonly { id: string; version: number }[]): string =>
  createHash('sha256')
    .update(records.map((r) => `${r.id}@${r.version}`).join(','))
    .digest('hex')
    .slice(0, 16)

/**
 * An item's transient failure (its batch was answered, this item not carried out), thrown for the
 * whole job: with the answer's status, so the retry takes new idempotency keys.
 */
export const answeredFault = (err: ProviderError): ProviderError =>
  new ProviderError(err.provider, err.kind, err.message, {
    status: err.status ?? 200,
    correlationId: err.correlationId,
    retryAfterMs: err.retryAfterMs,
  })

/**
 * A payment or credit note whose invoice is not at the provider: the invoice's own failure, in
 * its words, is the reason (a currency not turned on, a category with no account), so the
 * bookkeeper fixes that first and then retries this.
 */
export async function invoiceNotSynced(
  q: Queryable,
  conn: { id: string; provider: ProviderId },
  invoiceId: string,
  number: string,
  consequence: string,
): Promise<SyncErrorBody> {
  const own = await q.get<{ error: string }>(
    "SELECT error FROM sync_errors WHERE connection_id = ? AND record_kind = 'invoice' AND record_id = ?",
    [conn.id, invoiceId],
  )
  const why = own ? ` (${(JSON.parse(own.error) as SyncErrorBody).message.replace(/\.$/, '')})` : ''
  return {
    code: 'invoice_not_synced',
    message: `Invoice ${number} is not in ${PROVIDERS[conn.provider].name}${why}, so ${consequence}.`,
    providerMessage: null,
    correlationId: null,
    final: true,
  }
}
