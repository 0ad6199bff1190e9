import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { redact, safePath } from '../../server/logging/logger.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

/**
 * OAuth's `state` and `code` are bearers of authority (a code with its state can be redeemed), so
 * the request log never holds them in clear, whichever OAuth route they come to.
 */
let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const STATE = 'st4te-value-0123456789abcdefghij'
const CODE = 'c0de-value-0123456789abcdefghij'

describe('OAuth parameters in logs', () => {
  test('the request lines of /v1/oauth/begin and /v1/oauth/callback mask state and code', async () => {
    await t.request(`/v1/oauth/begin?state=${STATE}`)
    await t.request(`/v1/oauth/callback?code=${CODE}&state=${STATE}&scope=openid`)
    await t.request(`/v1/oauth/callback?error=access_denied&state=${STATE}&session_state=${CODE}`)
    const requests = t.logs
      .map((l) => JSON.parse(l) as { msg: string; path?: string })
      .filter((l) => l.msg === 'request' && l.path?.startsWith('/v1/oauth/'))
    expect(requests.map((l) => l.path)).toEqual([
      '/v1/oauth/begin?state=[redacted]',
      '/v1/oauth/callback?code=[redacted]&state=[redacted]&scope=openid',
      '/v1/oauth/callback?error=access_denied&state=[redacted]&session_state=[redacted]',
    ])
    const everything = t.logs.join('\n')
    expect(everything).not.toContain(STATE)
    expect(everything).not.toContain(CODE)
  })

  test('every parameter that carries authority is masked, whatever its case', () => {
    const url = new URL(
      `http://x/cb?State=${STATE}&CODE=${CODE}&id_token=i&access_token=a&refresh_token=r&oauth_verifier=v&code_verifier=cv&realmId=123`,
    )
    expect(safePath(url)).toBe(
      '/cb?State=%5Bredacted%5D&CODE=%5Bredacted%5D&id_token=%5Bredacted%5D&access_token=%5Bredacted%5D' +
        '&refresh_token=%5Bredacted%5D&oauth_verifier=%5Bredacted%5D&code_verifier=%5Bredacted%5D&realmId=123',
    )
  })

  test('a URL or form body quoted in a message has its state, code and tokens masked too', () => {
    const authorize = `https://login.xero.com/identity/connect/authorize?client_id=abc&state=${STATE}&code_challenge=x`
    const form = `grant_type=authorization_code&code=${CODE}&code_verifier=v3r1f13r&client_secret=s3cr3t`
    const out = JSON.stringify(redact({ msg: `redirecting to ${authorize}`, body: form }))
    for (const secret of [STATE, CODE, 'v3r1f13r', 's3cr3t']) expect(out).not.toContain(secret)
    expect(out).toContain('client_id=abc')
    expect(out).toContain('grant_type=authorization_code')
  })
})
