// `npm run emulators`: the three provider emulators on loopback, for the demo and for trying an
// adapter by hand. Prints one JSON line with their base URLs.
//   npm run emulators                      free ports; the demo app registrations
//   npm run emulators -- --redirect-uri http://localhost:3000/v1/oauth/callback
import { parseArgs } from 'node:util'
import { startAllEmulators } from './all.ts'

const { values } = parseArgs({
  options: { 'redirect-uri': { type: 'string', multiple: true }, 'port-base': { type: 'string' } },
})
const emulators = await startAllEmulators({
  redirectUris: values['redirect-uri'] ?? [
    'http://localhost:3000/v1/oauth/callback',
    'http://127.0.0.1:3000/v1/oauth/callback',
  ],
  portBase: values['port-base'] ? Number(values['port-base']) : undefined,
})
process.stdout.write(JSON.stringify(emulators.urls) + '\n')
const stop = () => void emulators.close().then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
