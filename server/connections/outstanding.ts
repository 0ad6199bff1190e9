import type { Queryable } from '../db/client.ts'
import { countOf, isRecordKind } from '../records/kinds.ts'

export interface Outstanding {
  /** Records by kind still waiting in the queue (or being sent) to this connection. */
  queued: Record<string, number>
  /** Records by kind whose last push to it failed. */
  failing: Record<string, number>
}

/** What a connection still has to do: queued work and failures, by kind of record. */
export async function outstandingWork(q: Queryable, connectionId: string): Promise<Outstanding> {
  const queued = await q.all<{ kind: string; n: number }>(
    `SELECT r.record_kind AS kind, count(DISTINCT r.record_id) AS n FROM jobs j JOIN job_records r ON r.job_id = j.id
     WHERE j.connection_id = ? AND j.state IN ('queued', 'running') GROUP BY r.record_kind`,
    [connectionId],
  )
  const failing = await q.all<{ kind: string; n: number }>(
    'SELECT record_kind AS kind, count(*) AS n FROM sync_errors WHERE connection_id = ? GROUP BY record_kind',
    [connectionId],
  )
  const byKind = (rows: { kind: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.kind, r.n]))
  return { queued: byKind(queued), failing: byKind(failing) }
}

/** "3 invoices and 1 customer", or null for nothing. */
function counted(byKind: Record<string, number>): string | null {
  const parts = Object.entries(byKind).flatMap(([kind, n]) =>
    isRecordKind(kind) && n > 0 ? [countOf(n, kind)] : [],
  )
  if (parts.length === 0) return null
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`
}

/** What is not yet in the accounting software, in a bookkeeper's words; null for nothing. */
export function summaryOf(work: Outstanding, providerName: string): string | null {
  const queued = counted(work.queued)
  const failing = counted(work.failing)
  const said = [queued && `${queued} waiting to be sent`, failing && `${failing} that failed`].filter(Boolean)
  return said.length === 0 ? null : `Not yet in ${providerName}: ${said.join(' and ')}.`
}
