import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { describe, expect, test } from 'vitest'
import { batchedSink, createLogger } from './logger.ts'

describe('the batched sink', () => {
  function collecting() {
    const writes: string[] = []
    const sink = batchedSink((chunk) => void writes.push(chunk))
    return { writes, log: createLogger({ level: 'debug', sink }), sink }
  }
  const lines = (chunk: string) =>
    chunk
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { msg: string }).msg)

  test('writes the lines of one turn of the event loop together, in order, at its end', async () => {
    const { writes, log } = collecting()
    log.info('one')
    log.warn('two')
    log.child({ requestId: 'req_x' }).info('three')
    expect(writes).toEqual([])
    await nextTurn()
    expect(writes.map(lines)).toEqual([['one', 'two', 'three']])
    expect(writes[0]!.endsWith('\n')).toBe(true)
  })

  test('writes at once for an error line, with what came before it', () => {
    const { writes, log } = collecting()
    log.info('before')
    log.error('failure')
    expect(writes.map(lines)).toEqual([['before', 'failure']])
  })

  test('writes at once when 64 KiB are waiting', () => {
    const { writes, log } = collecting()
    const note = 'x'.repeat(1000)
    for (let i = 0; i < 70; i++) log.info('big', { note })
    expect(writes.length).toBe(1)
    expect(lines(writes[0]!).length).toBeLessThan(70)
  })

  test('loses nothing when the process ends: exit, uncaught exception, unhandled rejection, drained loop', () => {
    const fixture = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'log-then-exit.ts')
    for (const how of ['exit', 'throw', 'reject', 'drain']) {
      const run = spawnSync(process.execPath, [fixture, how], { encoding: 'utf8' })
      const got = run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { how: string; i: number })
      expect(
        got.map((l) => [l.how, l.i]),
        how,
      ).toEqual([0, 1, 2].map((i) => [how, i]))
      expect(run.status, how).toBe(how === 'drain' ? 0 : how === 'exit' ? 3 : 1)
    }
  })
})
