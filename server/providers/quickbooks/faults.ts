import type { ProviderErrorKind } from '../provider.ts'
import type { ProviderHttp } from '../provider-http.ts'
import { toProviderError } from '../provider-http.ts'
import type { ProviderError } from '../provider.ts'
import type { QboFaultRaw } from './wire.ts'

/**
 * Intuit's fault codes that mean more than their HTTP status (PROVIDERS 2.6, CERTIFICATION QB-P15).
 * A 610 on a reference (`element` set) is something made inactive, such as an archived account: the
 * mapping is wrong ('validation'); a 610 without one is the record itself gone.
 */
const KIND_BY_CODE: Record<string, ProviderErrorKind> = {
  '5010': 'conflict', // stale SyncToken: re-read and retry
  '6140': 'conflict', // duplicate DocNumber: the invoice may already be there
  '6240': 'conflict', // duplicate DisplayName across customers, vendors and employees
  '6210': 'locked', // books closed for that period
  '6540': 'locked', // deposited transaction
  '3001': 'rate_limited',
  '3200': 'auth',
  '3100': 'revoked',
}

export function kindOfFault(fault: QboFaultRaw): ProviderErrorKind | undefined {
  const first = fault.Error[0]
  if (!first?.code) return undefined
  if (first.code === '610') return first.element ? 'validation' : 'not_found'
  return KIND_BY_CODE[first.code]
}

export function faultMessage(fault: QboFaultRaw): string {
  return fault.Error.map((e) => [e.code, e.Message, e.Detail].filter(Boolean).join(' ')).join('; ')
}

/** A Fault inside an HTTP 200 answer, or in one batch item: Intuit's own message, kind by code. */
export function faultError(
  http: ProviderHttp,
  fault: QboFaultRaw,
  res: { status: number; headers: Headers },
): ProviderError {
  return toProviderError(http, {
    status: res.status,
    header: (name) => res.headers.get(name),
    message: faultMessage(fault),
    kind: kindOfFault(fault) ?? 'validation',
  })
}
