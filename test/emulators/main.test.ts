import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect, test } from 'vitest'

test('npm run emulators starts all three and prints one JSON line with their base URLs', async () => {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'main.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()
    const urls = JSON.parse(first.value as string) as Record<string, string>
    expect(Object.keys(urls).sort()).toEqual(['quickbooks', 'sage', 'xero'])
    const xero = await fetch(`${urls.xero}/.well-known/openid-configuration`)
    expect(((await xero.json()) as { issuer: string }).issuer).toBe(urls.xero)
    expect((await fetch(`${urls.quickbooks}/.well-known/openid_configuration`)).status).toBe(200)
    expect((await fetch(`${urls.sage}/v3.1/businesses`)).status).toBe(401) // alive, and wants a token
  } finally {
    child.kill('SIGTERM')
  }
})
