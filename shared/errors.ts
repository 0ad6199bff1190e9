import { z } from 'zod'

/**
 * The single table of error codes, from provider to badge. Each code has its HTTP status, whether
 * trying again can help, the message a bookkeeper reads and the action offered. The server answers
 * with it and the widget renders with it; nothing switches on message text.
 *
 * @example ERRORS.not_found.status // 404
 */
export const ERRORS = {
  validation_failed: {
    status: 400,
    retryable: false,
    message: 'Some of the details sent are not valid.',
    action: 'Correct the fields listed and send again.',
  },
  malformed_request: {
    status: 400,
    retryable: false,
    message: 'The request could not be read.',
    action: 'Send a JSON body with the Content-Type application/json.',
  },
  unauthenticated: {
    status: 401,
    retryable: false,
    message: 'You are not signed in, or your session has ended.',
    action: 'Sign in again.',
  },
  embed_token_invalid: {
    status: 401,
    retryable: false,
    message: 'The sign-in link from your app is not valid or has expired.',
    action: 'Reload the page to get a new one.',
  },
  embed_token_replayed: {
    status: 401,
    retryable: false,
    message: 'This sign-in link has already been used.',
    action: 'Reload the page to get a new one.',
  },
  invalid_credentials: {
    status: 401,
    retryable: false,
    message: 'The email address or password is not right.',
    action: 'Check them and try again.',
  },
  forbidden: {
    status: 403,
    retryable: false,
    message: 'Your role does not allow this.',
    action: 'Ask an administrator of your account.',
  },
  origin_not_allowed: {
    status: 403,
    retryable: false,
    message: 'Requests from this website are not allowed.',
    action: 'Add the website to ALLOWED_ORIGINS on the LedgerLink server.',
  },
  configuration_error: {
    status: 500,
    retryable: false,
    message: 'LedgerLink is not set up to connect from this page.',
    action:
      'Ask the administrator of this app to correct LedgerLink’s settings; its server log names the setting.',
  },
  webhooks_not_configured: {
    status: 503,
    retryable: true,
    message: 'LedgerLink is not set up to receive updates from this accounting software.',
    action:
      'Ask the administrator of this app to set the webhook key in LedgerLink’s settings; the accounting software sends the updates again meanwhile.',
  },
  not_found: {
    status: 404,
    retryable: false,
    message: 'We could not find that.',
    action: 'Check the link or the id.',
  },
  route_not_found: {
    status: 404,
    retryable: false,
    message: 'There is no such address on this server.',
    action: 'See /openapi.json for the routes.',
  },
  method_not_allowed: {
    status: 405,
    retryable: false,
    message: 'This address does not accept that method.',
    action: 'See /openapi.json for the routes.',
  },
  conflict: {
    status: 409,
    retryable: false,
    message: 'This clashes with a record that already exists.',
    action: 'Use another value, or update the existing record.',
  },
  invalid_state_change: {
    status: 409,
    retryable: false,
    message: 'That change is not possible in the record’s current state.',
    action: 'Check the status of the record.',
  },
  idempotency_key_reused: {
    status: 409,
    retryable: false,
    message: 'This Idempotency-Key was already used for a different request.',
    action: 'Use a new Idempotency-Key for each distinct request.',
  },
  idempotency_in_progress: {
    status: 409,
    retryable: true,
    message: 'A request with this Idempotency-Key is still being processed.',
    action: 'Wait a moment and send it again.',
  },
  provider_switch_unconfirmed: {
    status: 409,
    retryable: false,
    message: 'You are connected to another accounting system.',
    action: 'Confirm that you want to switch: the current connection will be disconnected.',
  },
  sync_disabled: {
    status: 409,
    retryable: false,
    message: 'Sync is turned off for this account.',
    action: 'An admin can turn it on again in the LedgerLink settings.',
  },
  no_connection: {
    status: 409,
    retryable: false,
    message: 'No accounting software is connected.',
    action: 'Connect Xero, QuickBooks or Sage first.',
  },
  connection_expired: {
    status: 409,
    retryable: false,
    message: 'The connection to your accounting software has expired.',
    action: 'Reconnect to carry on; your settings and links are kept.',
  },
  connection_revoked: {
    status: 409,
    retryable: false,
    message: 'Access to your accounting software was removed from its side.',
    action: 'Reconnect to carry on; your settings and links are kept.',
  },
  connection_refresh_timeout: {
    status: 503,
    retryable: true,
    message: 'Renewing access to your accounting software is taking too long.',
    action: 'Try again in a minute; nothing was lost.',
  },
  oauth_state_invalid: {
    status: 400,
    retryable: false,
    message:
      'This sign-in to your accounting software was not started here, was already used or took too long.',
    action: 'Start again from the Connect button.',
  },
  oauth_denied: {
    status: 400,
    retryable: false,
    message: 'Access was not granted.',
    action: 'Click Connect again and choose Allow to connect.',
  },
  provider_error: {
    status: 502,
    retryable: true,
    message: 'Your accounting software answered with an error.',
    action: 'Try again; if it keeps happening, contact support with the reference shown.',
  },
  provider_unavailable: {
    status: 503,
    retryable: true,
    message: 'Your accounting software cannot be reached right now.',
    action: 'Try again in a few minutes.',
  },
  provider_rate_limited: {
    status: 429,
    retryable: true,
    message: 'Your accounting software asked us to slow down.',
    action: 'Nothing to do: we will carry on shortly.',
  },
  payload_too_large: {
    status: 413,
    retryable: false,
    message: 'The request is too large.',
    action: 'Send fewer or smaller records at once.',
  },
  unsupported_media_type: {
    status: 415,
    retryable: false,
    message: 'The request body must be JSON.',
    action: 'Send the header Content-Type: application/json.',
  },
  payment_exceeds_due: {
    status: 422,
    retryable: false,
    message: 'The payment is more than the amount still due on the invoice.',
    action: 'Record a payment no larger than the amount due.',
  },
  credit_exceeds_remaining: {
    status: 422,
    retryable: false,
    message: 'The credit note is more than what remains to credit on the invoice.',
    action: 'Lower the credit note, or link it to another invoice.',
  },
  login_throttled: {
    status: 429,
    retryable: true,
    message: 'Too many sign-in attempts.',
    action: 'Wait a few minutes before trying again.',
  },
  consent_rate_limited: {
    status: 429,
    retryable: true,
    message: 'Too many attempts to connect were started in a short time.',
    action: 'Wait a few minutes, then click Connect again.',
  },
  invoice_not_synced: {
    status: 409,
    retryable: false,
    message: 'The invoice this is for is not in your accounting software yet.',
    action: "Fix the invoice's own sync error first, then retry this.",
  },
  mapping_missing: {
    status: 422,
    retryable: false,
    message:
      'A category or tax code has nothing to go to in your accounting software yet (an account, a tax rate, or in QuickBooks a product or service), or what it went to was archived.',
    action:
      'Open the account mappings in your accounting settings, choose where it goes (the suggestion, or another), save, then retry.',
  },
  total_mismatch: {
    status: 422,
    retryable: false,
    message:
      'Your accounting software would total this invoice differently from the app, so it was not posted.',
    action: 'Check the line amounts, discounts and tax rates named here, correct the invoice, then retry.',
  },
  payment_locked: {
    status: 409,
    retryable: false,
    message:
      'Your accounting software does not let this payment be removed or changed (it is reconciled there).',
    action: 'Undo the reconciliation in your accounting software and retry, or make the change there.',
  },
  invoice_locked: {
    status: 409,
    retryable: false,
    message: 'Your accounting software no longer lets this invoice be changed (it is paid or voided there).',
    action: 'Make the change in your accounting software, or issue a credit note.',
  },
  currency_not_enabled: {
    status: 422,
    retryable: false,
    message: 'This currency is not turned on in your accounting software.',
    action: 'Turn the currency on in your accounting software, then retry.',
  },
  not_supported: {
    status: 422,
    retryable: false,
    message: 'Your accounting software does not offer this.',
    action: 'Nothing to do: this step is only needed with some accounting software.',
  },
  provider_refused: {
    status: 422,
    retryable: false,
    message: 'Your accounting software refused this record.',
    action: 'Read its reason below, correct the record, then retry.',
  },
  internal: {
    status: 500,
    retryable: true,
    message: 'Something went wrong on our side.',
    action: 'Try again; if it keeps happening, contact support with the request id.',
  },
  not_ready: {
    status: 503,
    retryable: true,
    message: 'The service is starting or its database cannot be reached.',
    action: 'Try again shortly.',
  },
} as const satisfies Record<string, ErrorSpec>

export interface ErrorSpec {
  status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503
  retryable: boolean
  message: string
  action: string
}

export type ErrorCode = keyof typeof ERRORS
export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]

/** One problem with one field, as zod names it: `path` like `lines.0.quantity`. */
export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() })
export type FieldError = z.infer<typeof FieldErrorSchema>

/**
 * The body of every error answer.
 *
 * @example { error: { code: 'not_found', message: 'We could not find that.', details: [], requestId: 'req_…' } }
 */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      action: z.string(),
      retryable: z.boolean(),
      details: z.array(FieldErrorSchema),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' })
export type ErrorBody = z.infer<typeof ErrorBodySchema>
