import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { THROTTLE } from '../../server/auth/login-throttle.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ trustProxy: true }) // the client address comes from X-Forwarded-For
})
afterAll(() => t.close())

const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code
let signUps = 0
/** Each sign-up from an address of its own, unless one is given (sign-ups are throttled per address). */
const signUp = (email: string, password = 'correct horse battery', address = `198.18.0.${++signUps}`) =>
  t.request('/v1/accounts', {
    method: 'POST',
    json: { email, password, name: 'Pat', organisation: 'Pat’s Plumbing' },
    headers: { 'x-forwarded-for': address },
  })
const signIn = (email: string, password: string, address = '203.0.113.9') =>
  t.request('/v1/sessions/password', {
    method: 'POST',
    json: { email, password },
    headers: { 'x-forwarded-for': address },
  })

describe('email and password accounts (extension users)', () => {
  test('sign-up creates a tenant of their own with them as admin, and signs them in', async () => {
    const res = await signUp('pat@example.com')
    expect(res.status).toBe(201)
    const body = (await res.json()) as {
      token: string
      user: { role: string; email: string }
      tenant: { id: string; name: string }
    }
    expect(body.user).toMatchObject({ role: 'admin', email: 'pat@example.com' })
    expect(body.tenant.id).toMatch(/^ten_/)
    expect(body.tenant.name).toBe('Pat’s Plumbing')
    expect((await t.request('/v1/status', { token: body.token })).status).toBe(200)
  })

  test('the password is stored as a memory-hard argon2id hash', async () => {
    await signUp('hash@example.com', 'a very long passphrase')
    const row = await t.db.get<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = ?', [
      'hash@example.com',
    ])
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(row!.password_hash).not.toContain('a very long passphrase')
  })

  test('an email address registers once (case-insensitively)', async () => {
    await signUp('once@example.com')
    const res = await signUp('ONCE@example.com')
    expect(res.status).toBe(409)
    expect(await code(res)).toBe('conflict')
  })

  test('short passwords and bad emails are refused field by field', async () => {
    const res = await t.request('/v1/accounts', {
      method: 'POST',
      json: { email: 'nope', password: 'short', name: '', organisation: 'x' },
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { details: { path: string }[] } }
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['email', 'name', 'password'])
  })

  test('sign-in works with the right password and not with a wrong one or an unknown account', async () => {
    await signUp('login@example.com', 'the right password')
    expect((await signIn('login@example.com', 'the right password')).status).toBe(201)
    const wrong = await signIn('login@example.com', 'the wrong password')
    expect(wrong.status).toBe(401)
    expect(await code(wrong)).toBe('invalid_credentials')
    const unknown = await signIn('nobody@example.com', 'whatever')
    expect(unknown.status).toBe(401)
    expect(await code(unknown)).toBe('invalid_credentials')
  })
})

describe('sign-up throttling', () => {
  test('one address may create at most THROTTLE.signup.limit accounts an hour', async () => {
    const address = '198.51.100.77'
    for (let i = 0; i < THROTTLE.signup.limit; i++)
      expect((await signUp(`many${i}@example.com`, 'a long enough password', address)).status).toBe(201)
    const refused = await signUp('one-more@example.com', 'a long enough password', address)
    expect(refused.status).toBe(429)
    expect(await code(refused)).toBe('login_throttled')
    expect((await signUp('elsewhere@example.com', 'a long enough password', '198.51.100.78')).status).toBe(
      201,
    )
    t.advance(THROTTLE.signup.windowMs)
    expect((await signUp('later@example.com', 'a long enough password', address)).status).toBe(201)
  })
})

describe('login throttling', () => {
  test('per account and address: past the limit that address is refused, even the right password; others are not', async () => {
    await signUp('victim@example.com', 'victim password 1')
    for (let i = 0; i < THROTTLE.pair.limit; i++)
      expect((await signIn('victim@example.com', `guess ${i}`, '198.51.100.10')).status).toBe(401)
    const locked = await signIn('victim@example.com', 'victim password 1', '198.51.100.10')
    expect(locked.status).toBe(429)
    expect(await code(locked)).toBe('login_throttled')
    expect(Number(locked.headers.get('retry-after'))).toBe(THROTTLE.pair.windowMs / 1000)
    // the guesses came from one address: the owner elsewhere is not locked out
    expect((await signIn('victim@example.com', 'victim password 1', '198.51.100.11')).status).toBe(201)
    t.advance(THROTTLE.pair.windowMs)
    expect((await signIn('victim@example.com', 'victim password 1', '198.51.100.10')).status).toBe(201)
  })

  test('per account from every address: failures slow it down with doubling, capped waits, never a lockout', async () => {
    await signUp('popular@example.com', 'popular password')
    const { limit, maxDelayMs } = THROTTLE.account
    let guesses = 0
    const guess = () => signIn('popular@example.com', 'nope', `198.51.101.${++guesses}`)
    for (let i = 0; i < limit; i++) expect((await guess()).status).toBe(401)
    for (const wait of [1, 2, 4, 8, 16, 32, 60, 60]) {
      const slowed = await guess()
      expect(slowed.status).toBe(429)
      expect(Number(slowed.headers.get('retry-after'))).toBe(wait)
      t.advance(wait * 1000 - 1)
      expect((await guess()).status).toBe(429) // not a millisecond early
      t.advance(1)
      expect((await guess()).status).toBe(401)
    }
    // the owner, from an address of their own, waits at most the cap, then gets in
    const owner = await signIn('popular@example.com', 'popular password', '198.51.101.250')
    expect(owner.status).toBe(429)
    expect(Number(owner.headers.get('retry-after'))).toBe(maxDelayMs! / 1000)
    t.advance(maxDelayMs!)
    expect((await signIn('popular@example.com', 'popular password', '198.51.101.250')).status).toBe(201)
  })

  test('per address: one client guessing across many accounts is locked out', async () => {
    const address = '192.0.2.77'
    for (let i = 0; i < THROTTLE.address.limit; i++)
      expect((await signIn(`spray${i}@example.com`, 'Password1!', address)).status).toBe(401)
    const res = await signIn('someone-else@example.com', 'Password1!', address)
    expect(res.status).toBe(429)
    // another address is not affected
    await signUp('bystander@example.com', 'bystander password')
    expect((await signIn('bystander@example.com', 'bystander password', '192.0.2.78')).status).toBe(201)
    t.advance(THROTTLE.address.windowMs)
  })

  test('a sign-in that succeeds leaves no counts behind', async () => {
    await signUp('tidy@example.com', 'tidy password')
    expect((await signIn('tidy@example.com', 'tidy password', '203.0.113.40')).status).toBe(201)
    expect(
      await t.db.all("SELECT key FROM login_attempts WHERE key LIKE '%tidy@%' OR key LIKE '%203.0.113.40'"),
    ).toEqual([])
  })

  test('a success is not counted as a failure, and does not erase the failures before it', async () => {
    await signUp('forgetful@example.com', 'forgetful password')
    for (let i = 0; i < THROTTLE.pair.limit - 1; i++)
      expect((await signIn('forgetful@example.com', 'nope', '203.0.113.50')).status).toBe(401)
    expect((await signIn('forgetful@example.com', 'forgetful password', '203.0.113.50')).status).toBe(201)
    expect((await signIn('forgetful@example.com', 'nope', '203.0.113.50')).status).toBe(401)
    expect((await signIn('forgetful@example.com', 'forgetful password', '203.0.113.50')).status).toBe(429)
  })
})
