import { AppError } from '../errors.ts'
import { ProviderError } from '../providers/provider.ts'
import type { SyncErrorBody } from './sync-repo.ts'

/** What a record's failure says to the bookkeeper: our code, and the provider's own words and id. */
export function errorBody(err: unknown, final: boolean): SyncErrorBody {
  if (err instanceof ProviderError) {
    const code =
      err.kind === 'locked'
        ? 'invoice_locked'
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

/** Faults the whole job retries on (the provider may answer next time); the rest fail the record. */
export const retriesJob = (err: unknown): boolean =>
  err instanceof ProviderError &&
  (err.kind === 'transient' || err.kind === 'rate_limited' || err.kind === 'auth')
