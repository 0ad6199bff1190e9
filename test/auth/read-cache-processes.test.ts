import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { StatusSchema } from '../../shared/api/sessions.ts'
import { createTestApp, statementCounter, type TestApp } from '../helpers/app.ts'

/**
 * GET /v1/status keeps the session row and the status view in memory while the database is
 * unchanged; every change committed before a request, here by another process on the same file,
 * is in its answer: a session revoked there is refused on the very next request.
 */
let t: TestApp
const statements = statementCounter()
let other: ReturnType<typeof otherProcess>
const tenant = 'acme-cache'

function otherProcess(url: string) {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, '..', 'fixtures', 'other-process.ts'), url],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async () => (await lines.next()).value as string
  return {
    ready: next(),
    /** Runs a command there and resolves once it has committed. */
    async run(command: string) {
      child.stdin.write(`${command}\n`)
      expect(await next()).toBe('done')
    },
    async stop() {
      child.stdin.end()
      await once(child, 'exit')
    },
  }
}

beforeAll(async () => {
  t = await createTestApp({}, { wrapDb: statements.wrap })
  other = otherProcess(t.config.database.url)
  expect(await other.ready).toBe('ready')
})
afterAll(async () => {
  await other.stop()
  t.close()
})

async function status(token: string) {
  const before = statements.count
  const res = await t.request('/v1/status', { token })
  return {
    status: res.status,
    body: res.status === 200 ? StatusSchema.parse(await res.json()) : null,
    statements: statements.count - before,
  }
}

test('an unchanged database answers from memory, and a session revoked in another process is refused next', async () => {
  const token = await t.session({ tenant, sub: 'revoked-user' })
  const first = await status(token)
  expect(first.status).toBe(200)
  const again = await status(token)
  expect(again.status).toBe(200)
  expect(again.body).toEqual(first.body)
  // Only the change stamps: the session and the view came from memory.
  expect(again.statements).toBeLessThan(first.statements)

  await other.run(`revoke ${token.split('.')[0]!}`)
  expect((await status(token)).status).toBe(401)
})

test('a role and a connection changed in another process show on the next request', async () => {
  const token = await t.session({ tenant, sub: 'changed-user', role: 'admin' })
  const seen = (await status(token)).body!
  expect(seen.user.role).toBe('admin')
  expect(seen.connection).toBeNull()
  await status(token) // kept

  await other.run(`role ${seen.user.id} member`)
  expect((await status(token)).body!.user.role).toBe('member')

  const at = t.now()
  await t.db.run(
    `INSERT INTO connections (id, tenant_id, provider, organisation_id, organisation_name, status, connected_by_id,
       connected_by_name, connected_at, last_checked_at, created_at, updated_at)
     VALUES ('con_cache', ?1, 'xero', 'org-cache', 'Cache Ltd', 'active', 'u', 'U', ?2, ?2, ?2, ?2)`,
    [tenant, at],
  )
  expect((await status(token)).body!.connection).toMatchObject({ status: 'active' })
  await status(token) // kept
  await other.run(`connection ${tenant} revoked`)
  expect((await status(token)).body!.connection).toMatchObject({ status: 'revoked' })
})

test('time alone ends a kept session: past its expiry it is refused though nothing was written', async () => {
  const token = await t.session({ tenant, sub: 'expiring-user' })
  expect((await status(token)).status).toBe(200)
  expect((await status(token)).status).toBe(200)
  t.advance(t.config.sessionTtlSeconds * 1000)
  expect((await status(token)).status).toBe(401)
})
