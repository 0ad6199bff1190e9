import type { Context } from 'hono'
import type { Outcome } from '../domain/deps.ts'
import { envelope } from '../domain/wire.ts'
import type { ApiEnv } from './env.ts'
import { validationExceptionBody } from './errors.ts'

/**
 * Runs a collection write element by element (PROVIDERS 1.6). With `summarizeErrors` (true when
 * absent, as the live API behaves) any failure answers 400 ValidationException listing the failed
 * elements, while the valid siblings stay saved and their ids are not returned. With
 * `summarizeErrors=false` the answer is 200 and each element carries StatusAttributeString.
 */
export function runBatch<I extends object, R>(
  c: Context<ApiEnv>,
  collection: string,
  inputs: I[],
  save: (input: I) => Outcome<R>,
  render: (record: R) => Record<string, unknown>,
): Response {
  const summarize = c.var.query.summarizeErrors !== false
  const results = inputs.map((input) => ({ input, outcome: save(input) }))
  const failed = results.filter((r) => 'errors' in r.outcome)
  if (summarize && failed.length > 0) {
    const elements = failed.map(({ input, outcome }) => ({
      ...input,
      HasErrors: true,
      ValidationErrors: ('errors' in outcome ? outcome.errors : []).map((Message) => ({ Message })),
    }))
    return c.json(validationExceptionBody(elements), 400)
  }
  const items = results.map(({ input, outcome }) =>
    'ok' in outcome
      ? { ...render(outcome.ok), StatusAttributeString: 'OK' }
      : {
          ...input,
          HasErrors: true,
          StatusAttributeString: 'ERROR',
          ValidationErrors: outcome.errors.map((Message) => ({ Message })),
        },
  )
  return c.json(envelope(c.var.now, c.var.grant.clientId, { [collection]: items }))
}
