import type { BulkRun } from '../../shared/bulk.ts'
import type { BulkRuns } from './bulk-runs.ts'
import type { Queue } from './queue.ts'

/** Other processes' work is read from the database no more often than this. */
export const WATCH_POLL_MS = 500

/** Resolves at the next job settle in this process, after `ms`, or on abort, whichever is first. */
function nextWake(queue: Queue, ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      off()
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    const off = queue.onSettle(done)
    signal.addEventListener('abort', done)
  })
}

/**
 * A run's states as they change, ending with the one where it finished: woken by the queue's
 * settle events in this process, and polling the database every WATCH_POLL_MS for jobs that
 * workers in other processes settle. Stops early when `signal` aborts (the client went away).
 */
export async function* watchRun(
  deps: { bulk: BulkRuns; queue: Queue },
  tenantId: string,
  runId: string,
  signal: AbortSignal,
  pollMs = WATCH_POLL_MS,
): AsyncGenerator<BulkRun> {
  let last = ''
  while (!signal.aborted) {
    const run = await deps.bulk.get(tenantId, runId)
    const seen = JSON.stringify([run.progress, run.finishedAt, run.cancelledAt])
    if (seen !== last) {
      last = seen
      yield run
    }
    if (run.finishedAt !== null) return
    await nextWake(deps.queue, pollMs, signal)
  }
}
