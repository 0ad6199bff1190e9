import { afterAll, beforeAll, expect, test } from 'vitest'
import { startEmulatedProviders } from '../helpers/providers.ts'
import { queueDb } from './support.ts'

/** STYLE.md: nothing waits on the network inside a database transaction. The code cannot, by accident. */
let emu: Awaited<ReturnType<typeof startEmulatedProviders>>
let t: Awaited<ReturnType<typeof queueDb>>
beforeAll(async () => {
  emu = await startEmulatedProviders()
  t = await queueDb()
})
afterAll(async () => {
  t.close()
  await emu.close()
})

test.each(['xero', 'quickbooks', 'sage'] as const)(
  'a %s adapter call inside a transaction is refused by the guard; outside, the provider answers',
  async (id) => {
    const adapter = emu.registry.get(id)!
    await expect(
      t.db.transaction(() => adapter.oauth.refresh('a-refresh-token-that-would-fail-anyway')),
    ).rejects.toThrow(`${id}.oauth.refresh inside a database transaction`)
    await expect(
      t.db.transaction(() =>
        Promise.resolve().then(() =>
          adapter.oauth.authorizeUrl({
            state: 's',
            codeChallenge: 'c',
            redirectUri: 'http://localhost:3000/v1/oauth/callback',
          }),
        ),
      ),
    ).rejects.toThrow(/inside a database transaction/)
    // Outside a transaction the same call reaches the provider (which refuses the made-up token).
    await expect(adapter.oauth.refresh('a-refresh-token-that-would-fail-anyway')).rejects.toMatchObject({
      name: 'ProviderError',
    })
  },
)
