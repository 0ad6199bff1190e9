// `npm start`: the product as a newcomer runs it. Providers with no credentials in the environment
// are served by the local emulators (EMULATORS=auto), started here on free loopback ports; the
// server itself only ever sees ordinary configuration pointing at them.
import { PROVIDER_IDS } from '../shared/providers.ts'
import { loadConfigOrExit } from '../server/config.ts'
import { startAllEmulators, type EmulatedProvider } from '../test/emulators/all.ts'

const config = loadConfigOrExit()

const missing = PROVIDER_IDS.filter((id) => !config.providers[id].credentials)
if (config.emulators === 'auto' && missing.length) {
  const emulators = await startAllEmulators({ redirectUris: config.oauthRedirectUris, providers: missing })
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
