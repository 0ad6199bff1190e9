// status_batch_500_ms: POST /v1/sync/status for 500 invoices (a fifth each synced, outdated,
// failed, pending and never synced) on the real BFF over loopback, one request at a time, against
// a bare Hono route answering the same headers and body in the same run. Median milliseconds.
import { answerOf, report, round, startServer, type Target } from './lib.ts'

const ROUNDS = 20
const PER_ROUND = 10

async function timed(target: Target & { url: string }): Promise<number> {
  const started = performance.now()
  const res = await fetch(target.url, {
    method: target.method,
    headers: target.headers,
    body: target.body ?? null,
  })
  await res.arrayBuffer()
  if (res.status !== 200) throw new Error(`${target.url} answered ${res.status}`)
  return performance.now() - started
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const bff = await startServer('bff.ts', ['status-batch'])
const answer = await answerOf(bff.target)
const states = Object.values(
  (JSON.parse(answer.body) as { states: Record<string, { state: string }> }).states,
)
if (states.length !== 500 || new Set(states.map((s) => s.state)).size !== 5)
  throw new Error('the batch should hold 500 invoices in all five states')
const bare = await startServer('bare-hono.ts', [], answer)
try {
  const times = { bff: [] as number[], bare: [] as number[] }
  for (let i = 0; i < PER_ROUND; i++) {
    await timed(bff.target) // warm-up
    await timed(bare.target)
  }
  // Interleaved rounds, so that a noisy moment on the machine falls on both alike.
  for (let r = 0; r < ROUNDS; r++)
    for (const side of ['bff', 'bare'] as const)
      for (let i = 0; i < PER_ROUND; i++)
        times[side].push(await timed(side === 'bff' ? bff.target : bare.target))
  report({
    name: 'status_batch_500_ms',
    value: round(median(times.bff), 2),
    unit: 'ms',
    baseline: round(median(times.bare), 2),
    goal: 'value < 10 ms: a page of badges answered from indexes in a few milliseconds (issue 9)',
  })
} finally {
  bff.stop()
  bare.stop()
}
