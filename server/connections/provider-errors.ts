import type { ErrorCode } from '../../shared/errors.ts'
import type { ProviderError, ProviderErrorKind } from '../providers/provider.ts'
import type { LastError } from './token-store.ts'

/** Each kind of provider failure, as the code a user is shown. */
export const CODE_OF_KIND: Record<ProviderErrorKind, ErrorCode> = {
  auth: 'connection_expired',
  revoked: 'connection_revoked',
  rate_limited: 'provider_rate_limited',
  transient: 'provider_unavailable',
  validation: 'provider_error',
  not_found: 'provider_error',
  locked: 'provider_error',
  conflict: 'provider_error',
}

/** The provider's error, in the shared vocabulary, with its own message and correlation id kept for support. */
export function describeProviderError(err: ProviderError, now: number): LastError {
  return {
    code: CODE_OF_KIND[err.kind],
    message: err.message,
    correlationId: err.correlationId,
    at: new Date(now).toISOString(),
  }
}
