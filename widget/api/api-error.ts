import { ERRORS, type ErrorBody, type ErrorCode } from '../../shared/errors.ts'
import type { Messages } from '../i18n.ts'

/** Failures the widget names itself, before any server answer: see `local` in i18n.ts. */
export type LocalErrorCode = keyof Messages['local']

/**
 * A failed call, carrying the server's error code (from shared/errors.ts) or a local one. The
 * words shown come from the code, never from parsing a message.
 */
export class ApiError extends Error {
  readonly code: ErrorCode | LocalErrorCode | (string & {})
  readonly status: number
  readonly requestId: string | null
  /** The server's own words, used only for a code this build of the widget does not know. */
  readonly server: { message: string; action: string } | null

  constructor(
    code: ErrorCode | LocalErrorCode | (string & {}),
    status: number,
    requestId: string | null = null,
    server: { message: string; action: string } | null = null,
  ) {
    super(code)
    this.name = 'ApiError'
    this.code = code
    this.status = status
    this.requestId = requestId
    this.server = server
  }

  static fromBody(status: number, body: unknown): ApiError {
    const error = (body as Partial<ErrorBody> | null)?.error
    if (typeof error?.code !== 'string') return new ApiError('internal', status)
    return new ApiError(error.code, status, error.requestId ?? null, {
      message: String(error.message),
      action: String(error.action),
    })
  }
}

const known = (code: string): code is ErrorCode => Object.hasOwn(ERRORS, code)

/** The message and action a bookkeeper reads for an error code, and whether trying again can help. */
export function describeError(
  t: Messages,
  code: string,
  server?: { message: string; action: string } | null,
): { message: string; action: string; retryable: boolean } {
  if (known(code)) return ERRORS[code]
  if (Object.hasOwn(t.local, code)) return { ...t.local[code as LocalErrorCode], retryable: true }
  return server ? { ...server, retryable: true } : ERRORS.internal
}
