// status_route_rps: GET /v1/status (session-authenticated) on the real BFF, under autocannon on
// loopback, against a bare Hono route that answers the very same headers and body (the shape of
// the answer alone costs about 40 µs a request on bare Hono): the cost of the BFF's own machinery.
import autocannon from 'autocannon'
import { answerOf, report, round, startServer, type Target } from './lib.ts'

// Short runs taken in turns, so that the load of whatever else shares the machine falls on both.
const ROUNDS = 4
const ROUND_S = 2
const CONNECTIONS = 16

async function requests(target: Target & { url: string }, duration: number): Promise<number> {
  const { url, method, headers } = target
  const result = await autocannon({ url, method, headers, connections: CONNECTIONS, duration })
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  return result.requests.total
}

const bff = await startServer('bff.ts', ['status'])
const bare = await startServer('bare-hono.ts', [], await answerOf(bff.target))
try {
  await requests(bare.target, 1) // warm-up
  await requests(bff.target, 1)
  let baseline = 0
  let value = 0
  for (let r = 0; r < ROUNDS; r++) {
    baseline += await requests(bare.target, ROUND_S)
    value += await requests(bff.target, ROUND_S)
  }
  report({
    name: 'status_route_rps',
    value: round(value / (ROUNDS * ROUND_S), 0),
    unit: 'req/s',
    baseline: round(baseline / (ROUNDS * ROUND_S), 0),
    goal: 'ratio >= 0.5 of a bare Hono route sending the same headers and body (issue 9)',
  })
} finally {
  bff.stop()
  bare.stop()
}
