import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ZodError } from 'zod'
import { ERRORS, type ErrorBody, type ErrorCode, type FieldError } from '../../shared/errors.ts'
import { AppError } from '../errors.ts'
import type { AppEnv } from './context.ts'

export function errorBody(
  code: ErrorCode,
  requestId: string,
  message?: string,
  details: FieldError[] = [],
): ErrorBody {
  const spec = ERRORS[code]
  return {
    error: {
      code,
      message: message ?? spec.message,
      action: spec.action,
      retryable: spec.retryable,
      details,
      requestId,
    },
  }
}

export function fieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }))
}

/** Hands zod-openapi's failed validations to the error handler as one field-level error. */
export function validationHook(result: { success: boolean; error?: ZodError; target?: string }) {
  if (!result.success && result.error) {
    const prefix = result.target === 'json' ? undefined : result.target
    throw new AppError('validation_failed', { details: fieldErrors(result.error, prefix) })
  }
}

const requestIdOf = (c: Context<AppEnv>) => c.get('requestId') ?? 'unknown'

function fromHttpException(err: HTTPException): AppError {
  if (err.status === 413) return new AppError('payload_too_large')
  if (err.status === 400) return new AppError('malformed_request', { message: err.message || undefined })
  if (err.status === 401) return new AppError('unauthenticated')
  return new AppError('internal', { cause: err })
}

/** The AppError an error is answered as: itself, the equivalent of an HTTP exception, or `internal`. */
export function asAppError(err: unknown): AppError {
  if (err instanceof AppError) return err
  if (err instanceof HTTPException) return fromHttpException(err)
  return new AppError('internal', { cause: err })
}

/**
 * The one place an error becomes an answer. Every 5xx is logged at error level with its code and
 * cause (the logger masks secrets in them); unknown errors are never echoed. 4xx answers are the
 * caller's to fix: the request line (middleware/request-context.ts) records their code at info.
 */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const appError = asAppError(err)
  const requestId = requestIdOf(c)
  if (appError.status >= 500)
    c.get('log')?.error(err instanceof AppError ? 'server error' : 'unhandled error', {
      code: appError.code,
      status: appError.status,
      err, // with its cause: see redact() in logging/logger.ts
      requestId,
    })
  if (appError.code === 'internal') return c.json(errorBody('internal', requestId), 500)
  for (const [k, v] of Object.entries(appError.headers)) c.header(k, v)
  return c.json(errorBody(appError.code, requestId, appError.message, appError.details), appError.status)
}

export const notFound: NotFoundHandler<AppEnv> = (c) =>
  c.json(errorBody('route_not_found', requestIdOf(c)), 404)
