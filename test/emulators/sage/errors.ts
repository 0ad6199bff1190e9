/**
 * Sage's error body is an array of `{$severity,$dataCode,$message,$source}` (PROVIDERS.md 3.4).
 * Handlers throw SageError; the API's error handler renders it.
 */
export interface SageErrorItem {
  $severity: 'error'
  $dataCode: string
  $message: string
  $source: string
}

export class SageError extends Error {
  readonly status: number
  readonly items: SageErrorItem[]
  readonly headers: Record<string, string>
  constructor(status: number, items: SageErrorItem[], headers: Record<string, string> = {}) {
    super(items.map((i) => i.$message).join('; '))
    this.status = status
    this.items = items
    this.headers = headers
  }
}

export function item(dataCode: string, message: string, source = ''): SageErrorItem {
  return { $severity: 'error', $dataCode: dataCode, $message: message, $source: source }
}

export function sageErrorResponse(error: SageError): Response {
  return Response.json(error.items, { status: error.status, headers: error.headers })
}

/** Model validation failure (422 RecordInvalid), as in Sage's documented example. */
export const recordInvalid = (message: string, source = '') =>
  new SageError(422, [item('RecordInvalid', message, source)])

/** Unknown record, by key or by a referenced id ("Couldn't find record." is Sage's text). */
export const recordNotFound = () => new SageError(404, [item('RecordNotFound', "Couldn't find record.")])

/** 401; "No active subscription. (MSE)" is the documented text for a lapsed business. */
export const authorizationFailure = (message: string) =>
  new SageError(401, [item('AuthorizationFailure', message)])

/** Parameter-level failures, in the Grape wording Sage answers with ("x[y] is missing"). */
export function paramErrors(problems: { param: string; problem: 'is missing' | 'is invalid' }[]) {
  return new SageError(
    422,
    problems.map((p) => item('Validation', `${p.param} ${p.problem}`, p.param)),
  )
}
