// status_route_rps: GET /v1/status (session-authenticated) on the real BFF, under autocannon on
// loopback, against the same route on a bare Hono server: the cost of the BFF's own machinery.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { report, round } from './lib.ts'

const DURATION_S = 5
const CONNECTIONS = 16

async function measure(serverScript: string): Promise<number> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'servers', serverScript)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()
    const target = JSON.parse(first.value as string) as { url: string; headers: Record<string, string> }
    const check = await fetch(target.url, { headers: target.headers })
    if (check.status !== 200) throw new Error(`${serverScript} answered ${check.status}`)
    await autocannon({ url: target.url, headers: target.headers, connections: CONNECTIONS, duration: 1 }) // warm-up
    const result = await autocannon({
      url: target.url,
      headers: target.headers,
      connections: CONNECTIONS,
      duration: DURATION_S,
    })
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${serverScript}: ${result.non2xx} non-2xx, ${result.errors} errors`)
    return round(result.requests.average, 0)
  } finally {
    child.kill()
  }
}

const bare = await measure('bare-hono.ts')
const bff = await measure('bff.ts')
report({
  name: 'status_route_rps',
  value: bff,
  unit: 'req/s',
  baseline: bare,
  goal: 'ratio >= 0.05 of bare_hono_rps (regression guard; README)',
})
