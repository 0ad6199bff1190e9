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
  test('per account: locked after the limit even with the right password, until the window passes', async () => {
    await signUp('victim@example.com', 'victim password 1')
    for (let i = 0; i < THROTTLE.account.limit; i++)
      expect((await signIn('victim@example.com', `guess ${i}`, `198.51.100.${i}`)).status).toBe(401)
    const locked = await signIn('victim@example.com', 'victim password 1', '198.51.100.200')
    expect(locked.status).toBe(429)
    expect(await code(locked)).toBe('login_throttled')
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    t.advance(THROTTLE.account.windowMs)
    expect((await signIn('victim@example.com', 'victim password 1', '198.51.100.200')).status).toBe(201)
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

  test('a success clears the account’s failures', async () => {
    await signUp('forgetful@example.com', 'forgetful password')
    for (let i = 0; i < THROTTLE.account.limit - 1; i++)
      await signIn('forgetful@example.com', 'nope', '203.0.113.50')
    expect((await signIn('forgetful@example.com', 'forgetful password', '203.0.113.50')).status).toBe(201)
    for (let i = 0; i < THROTTLE.account.limit - 1; i++)
      await signIn('forgetful@example.com', 'nope', '203.0.113.51')
    expect((await signIn('forgetful@example.com', 'forgetful password', '203.0.113.51')).status).toBe(201)
  })
})
