import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/**
 * `npm run worker` processes for tests: server/worker-main.ts with the real configuration read from
 * the environment (the database file shared with the test, the emulators' URLs, a short lease).
 * `started` resolves when the process says so on its log; `exited` when it is gone.
 */
const script = join(import.meta.dirname, '..', '..', 'server', 'worker-main.ts')

export interface WorkerProcess {
  child: ChildProcess
  started: Promise<void>
  exited: Promise<void>
  /** Log lines the process wrote (JSON), kept for a failure's message. */
  lines: string[]
}

export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const exited = child.exitCode !== null ? Promise.resolve() : once(child, 'exit').then(() => undefined)
  const started = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line)
      if (line.includes('"worker started"')) resolve()
    })
    createInterface({ input: child.stderr }).on('line', (line) => lines.push(line))
    void exited.then(() => reject(new Error(`worker exited before it started:\n${lines.join('\n')}`)))
  })
  started.catch(() => undefined)
  return { child, started, exited, lines }
}

/** SIGKILL: no handler runs, nothing is flushed, the leases it held stay behind. */
export async function kill(worker: WorkerProcess) {
  worker.child.kill('SIGKILL')
  await worker.exited
}

/** SIGTERM: the worker stops claiming, finishes the jobs in hand and exits 0. */
export async function stop(worker: WorkerProcess) {
  worker.child.kill('SIGTERM')
  await worker.exited
  return worker.child.exitCode
}
