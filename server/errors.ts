import { ERRORS, type ErrorCode, type FieldError } from '../shared/errors.ts'

/**
 * The one error class of server code. The HTTP error handler and (later) the job runner are the
 * only places that catch it; its code picks the status, message and action from shared/errors.ts.
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: FieldError[]
  readonly headers: Record<string, string>

  constructor(
    code: ErrorCode,
    options: {
      message?: string
      details?: FieldError[]
      headers?: Record<string, string>
      cause?: unknown
    } = {},
  ) {
    super(options.message ?? ERRORS[code].message, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options.details ?? []
    this.headers = options.headers ?? {}
  }

  get status() {
    return ERRORS[this.code].status
  }
}
