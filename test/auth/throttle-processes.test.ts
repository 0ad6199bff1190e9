import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, expect, test } from 'vitest'
import { THROTTLE } from '../../server/auth/login-throttle.ts'
import { openDb } from '../../server/db/client.ts'
import { migrate } from '../../server/db/migrate.ts'

const dir = mkdtempSync(join(tmpdir(), 'll-throttle-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A worker process (fixtures/throttle-worker.ts), its stdout read line by line. */
function worker(args: string[]) {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'fixtures', 'throttle-worker.ts'), ...args],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async () => (await lines.next()).value ?? ''
  return { child, next, exited: once(child, 'exit') }
}

test('three processes sharing the database let exactly the limit through between them', async () => {
  const url = `file:${join(dir, 'shared.db')}`
  const db = openDb({ url })
  await migrate(db)
  db.close()
  const workers = [1, 2, 3].map(() => worker([url, String(Date.now()), '100']))
  for (const w of workers) expect(await w.next()).toBe('ready')
  for (const w of workers) w.child.stdin.end('go\n') // all start together
  const granted = await Promise.all(workers.map(async (w) => Number(await w.next())))
  for (const w of workers) expect((await w.exited)[0]).toBe(0)
  expect(granted.reduce((a, b) => a + b)).toBe(THROTTLE.signup.limit)
}, 60_000)
