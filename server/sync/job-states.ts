import { AppError } from '../errors.ts'

/**
 * Every legal move of a job, in one table checked by one function (STYLE.md, Queue and tokens).
 * `running → queued` is a retry, a Retry-After reschedule or a lease that expired; `failed` and
 * `cancelled → queued` is a person's retry. A succeeded job is never run again: new work is a new job.
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

export const TRANSITIONS: Readonly<Record<JobState, readonly JobState[]>> = {
  queued: ['running', 'cancelled'],
  running: ['succeeded', 'queued', 'failed', 'cancelled'],
  succeeded: [],
  failed: ['queued'],
  cancelled: ['queued'],
}

/** The states a move may start from, for the compare-and-swap in each UPDATE. */
export function fromStates(to: JobState): JobState[] {
  return (Object.keys(TRANSITIONS) as JobState[]).filter((from) => TRANSITIONS[from].includes(to))
}

/** Throws unless `from → to` is in the table. */
export function assertTransition(from: JobState, to: JobState): void {
  if (!TRANSITIONS[from].includes(to))
    throw new AppError('internal', { message: `A job cannot move from ${from} to ${to}` })
}
