// status_route_rps: GET /v1/status (session-authenticated) on the real BFF, under autocannon on
// loopback, against a bare Hono route that answers the very same headers and body (the shape of
// the answer alone costs about 40 µs a request on bare Hono): the cost of the BFF's own machinery.
import autocannon from 'autocannon'
import { answerOf, report, round, startServer, type Target } from './lib.ts'

const DURATION_S = 5
const CONNECTIONS = 16

async function rps(target: Target & { url: string }): Promise<number> {
  const options = {
    url: target.url,
    method: target.method,
    headers: target.headers,
    connections: CONNECTIONS,
  }
  await autocannon({ ...options, duration: 1 }) // warm-up
  const result = await autocannon({ ...options, duration: DURATION_S })
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${target.url}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  return round(result.requests.average, 0)
}

const bff = await startServer('bff.ts', ['status'])
const bare = await startServer('bare-hono.ts', [], await answerOf(bff.target))
try {
  const baseline = await rps(bare.target)
  const value = await rps(bff.target)
  report({
    name: 'status_route_rps',
    value,
    unit: 'req/s',
    baseline,
    goal: 'ratio >= 0.5 of a bare Hono route sending the same headers and body (issue 9)',
  })
} finally {
  bff.stop()
  bare.stop()
}
