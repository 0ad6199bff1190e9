// `npm start`: the product as a newcomer runs it. Providers with no credentials in the environment
// are served by the local emulators (EMULATORS=auto), started here on free loopback ports; the
// server itself only ever sees ordinary configuration pointing at them.
import { PROVIDER_IDS } from '../shared/providers.ts'
import { loadConfigOrExit } from '../server/config.ts'
import { startAllEmulators, type EmulatedProvider } from '../test/emulators/all.ts'

const config = loadConfigOrExit()

const missing = PROVIDER_IDS.filter((id) => !config.providers[id].credentials)
const emulators =
  config.emulators === 'auto' && missing.length
    ? await startAllEmulators({ redirectUris: config.oauthRedirectUris, providers: missing })
    : null
if (emulators) {
  Object.assign(process.env, emulators.env)
  // Each emulator's books page is where a newcomer sees what the demo sent; a synced record's
  // "Open in …" link opens its page there.
  const line = ([id, url]: [string, string]) =>
    `    ${id.padEnd(11)} ${url}   books: ${emulators.books[id as EmulatedProvider]}\n`
  process.stderr.write(
    `\n  No credentials for ${missing.join(', ')}: using local emulators\n` +
      Object.entries(emulators.urls).map(line).join(''),
  )
}

await import('../server/main.ts')

if (emulators) {
  // Once the server answers, the emulators send it their webhooks, signed with the demo keys their
  // `env` gave it: a payment entered in an emulator reaches LedgerLink as it would from the provider.
  const hooks = `${config.publicUrl}/v1/webhooks/`
  const live = (await listening(config.publicUrl))
    ? await emulators.subscribeWebhooks(config.publicUrl)
    : null
  const off = live ? Object.keys(live).filter((id) => !live[id as EmulatedProvider]) : ['all']
  if (!live || Object.keys(live).length)
    process.stderr.write(
      off.length
        ? `  Emulator webhooks are off (${off.join(', ')}): ${hooks} did not answer as expected\n`
        : `  Emulator webhooks go to ${hooks}\n`,
    )
}

/** Whether the server answers at `base` within a few seconds (main.ts returns before it listens). */
async function listening(base: string) {
  for (let i = 0; i < 50; i++) {
    const ok = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return false
}
