import { expect, test } from 'vitest'
import { ERRORS, type ErrorCode } from '../../../shared/errors.ts'
import { OUTCOME_ERRORS, REFUSALS } from './idempotency.ts'

test('every non-retryable 4xx code is either a refusal (key released) or an outcome (stored)', () => {
  // The middleware answers this one itself, before it claims the key.
  const ownAnswers: ErrorCode[] = ['idempotency_key_reused']
  const codes = (Object.keys(ERRORS) as ErrorCode[]).filter(
    (code) => ERRORS[code].status < 500 && !ERRORS[code].retryable && !ownAnswers.includes(code),
  )
  const unclassified = codes.filter((code) => REFUSALS.has(code) === OUTCOME_ERRORS.has(code))
  expect(unclassified, 'add each to REFUSALS or OUTCOME_ERRORS in idempotency.ts').toEqual([])
})
