import type { ErrorBody, ErrorCode, FieldError } from '../../shared/errors.ts'

/** Failures met before any server answer, worded by the widget itself (components/problem.tsx). */
export type LocalErrorCode = 'network' | 'token_unavailable'

/**
 * A failed call, carrying the server's error code (from shared/errors.ts) or a local one. The
 * words shown come from the code, never from parsing a message.
 */
export class ApiError extends Error {
  // Declared only (set in the constructor): no class fields to emit before it.
  declare readonly code: ErrorCode | LocalErrorCode | (string & {})
  declare readonly status: number
  declare readonly requestId: string | null
  /** The server's own words, used only for a code this build of the widget does not know. */
  declare readonly server: { message: string; action: string } | null
  /** The fields the server found wrong (validation_failed), shown under the message. */
  declare readonly details: FieldError[]

  constructor(
    code: ErrorCode | LocalErrorCode | (string & {}),
    status: number,
    requestId: string | null = null,
    server: { message: string; action: string } | null = null,
    details: FieldError[] = [],
  ) {
    super(code)
    this.name = 'ApiError'
    this.code = code
    this.status = status
    this.requestId = requestId
    this.server = server
    this.details = details
  }

  static fromBody(status: number, body: unknown): ApiError {
    const error = (body as Partial<ErrorBody> | null)?.error
    if (typeof error?.code !== 'string') return new ApiError('internal', status)
    const details = Array.isArray(error.details)
      ? error.details
          .filter((d) => typeof d?.path === 'string' && typeof d.message === 'string')
          .map(({ path, message }) => ({ path, message }))
      : []
    return new ApiError(
      error.code,
      status,
      error.requestId ?? null,
      { message: String(error.message), action: String(error.action) },
      details,
    )
  }
}

/** Any failure as an ApiError (a bug reads as `internal`). */
export const asError = (e: unknown) => (e instanceof ApiError ? e : new ApiError('internal', 0))
