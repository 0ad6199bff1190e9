import { parseArgs } from 'node:util'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { createApiKeys } from './auth/api-keys.ts'
import { ConfigError, loadConfig } from './config.ts'
import { filePathOf, openDb } from './db/client.ts'
import { migrate } from './db/migrate.ts'

const USAGE = `Usage: npm run cli -- <command>

  api-keys create --name NAME   Create an API key for a host backend (shown once)
  api-keys list                 List API keys (never their secrets)
  api-keys revoke ID            Revoke an API key at once
`

/** Operator commands against the configured database. Exit code 2 for usage errors. */
export async function runCli(
  argv: string[],
  out: (s: string) => unknown = (s) => process.stdout.write(s + '\n'),
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { name: { type: 'string' } },
    allowPositionals: true,
  })
  const [group, command, arg] = positionals
  if (group !== 'api-keys' || !command) {
    out(USAGE)
    return 2
  }
  const config = loadConfig()
  if (config.database.url.startsWith('file:'))
    mkdirSync(dirname(filePathOf(config.database.url)), { recursive: true })
  const db = openDb(config.database)
  try {
    await migrate(db)
    const keys = createApiKeys({ db })
    if (command === 'create') {
      const name = values.name?.trim()
      if (!name) {
        out('api-keys create needs --name NAME')
        return 2
      }
      const { key, apiKey } = await keys.create(name)
      out(`Created API key ${apiKey.id} (${apiKey.name}). Store it now: it is not shown again.\n\n  ${key}\n`)
      return 0
    }
    if (command === 'list') {
      const list = await keys.list()
      if (!list.length) out('No API keys.')
      for (const k of list)
        out(
          [
            k.id,
            k.name,
            `created ${new Date(k.createdAt).toISOString()}`,
            k.lastUsedAt ? `last used ${new Date(k.lastUsedAt).toISOString()}` : 'never used',
            k.revokedAt ? `REVOKED ${new Date(k.revokedAt).toISOString()}` : 'active',
          ].join('  '),
        )
      return 0
    }
    if (command === 'revoke' && arg) {
      if (await keys.revoke(arg)) {
        out(`Revoked ${arg}.`)
        return 0
      }
      out(`No active API key ${arg}.`)
      return 1
    }
    out(USAGE)
    return 2
  } finally {
    db.close()
  }
}

if (import.meta.main) {
  try {
    process.exitCode = await runCli(process.argv.slice(2))
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err)
    process.exitCode = 1
  }
}
