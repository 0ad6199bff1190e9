import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/**
 * One figure of the benchmark suite: a measured value beside a baseline measured in the same run
 * (these machines are noisy, so only ratios within one run are compared), and the goal it is held to.
 */
export interface Figure {
  name: string
  value: number
  unit: string
  baseline: number
  ratio: number
  goal: string
}

export const FIGURE_PREFIX = 'BENCH-FIGURE '

/** Prints a figure for bench/run.ts to collect (a script may print several). */
export function report(figure: Omit<Figure, 'ratio'> & { ratio?: number }) {
  const ratio = figure.ratio ?? round(figure.value / figure.baseline, 3)
  process.stdout.write(`${FIGURE_PREFIX}${JSON.stringify({ ...figure, ratio })}\n`)
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

/** A request a bench server offers to be measured (it prints one as a JSON line when it listens). */
export interface Target {
  path: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  body?: string | undefined
}

/** What the real route answered to a target: a bare server replays it as the fair baseline. */
export interface Answer {
  method: Target['method']
  path: string
  status: number
  headers: [string, string][]
  body: string
  requestHeaders: Target['headers']
  requestBody?: string | undefined
}

/** Headers Node's HTTP server writes itself, for every answer alike. */
const TRANSPORT_HEADERS = new Set(['date', 'content-length', 'connection', 'keep-alive', 'transfer-encoding'])

/** Starts `bench/servers/<script>` in its own process; resolves with the request it offers. */
export async function startServer(script: string, args: string[] = [], input?: Answer) {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'servers', script), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  if (input) child.stdin.write(JSON.stringify(input) + '\n')
  const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()
  if (first.done) throw new Error(`${script} ended before it listened`)
  const target = JSON.parse(first.value) as Target & { url: string }
  return { target, stop: () => void child.kill() }
}

/** Sends the target once and keeps what came back, refusing anything but a 200. */
export async function answerOf(target: Target & { url: string }): Promise<Answer> {
  const res = await fetch(target.url, {
    method: target.method,
    headers: target.headers,
    body: target.body ?? null,
  })
  const body = await res.text()
  if (res.status !== 200) throw new Error(`${target.method} ${target.path} answered ${res.status}: ${body}`)
  return {
    method: target.method,
    path: target.path,
    status: res.status,
    headers: [...res.headers].filter(([name]) => !TRANSPORT_HEADERS.has(name)),
    body,
    requestHeaders: target.headers,
    requestBody: target.body,
  }
}
