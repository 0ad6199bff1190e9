import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Db } from './client.ts'

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations')

/**
 * Applies the append-only SQL migrations in `migrations/NNNN_verb_object.sql`, each in its own
 * write transaction. Several processes may start at once: the check for "already applied" runs
 * inside the transaction, so exactly one of them applies each file.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
  )
  const files = await migrationFiles(dir)
  const applied: string[] = []
  for (const name of files) {
    const sql = await readFile(join(dir, name), 'utf8')
    const statements = splitStatements(sql)
    const didApply = await db.transaction(async (tx) => {
      if (await tx.get('SELECT 1 FROM schema_migrations WHERE name = ?', [name])) return false
      for (const statement of statements) await tx.run(statement)
      await tx.run('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)', [name, Date.now()])
      return true
    })
    if (didApply) applied.push(name)
  }
  return applied
}

const fileLists = new Map<string, Promise<string[]>>()
/** The migration files of a folder, read once: they do not change while the server runs. */
const migrationFiles = (dir: string) => {
  let files = fileLists.get(dir)
  if (!files) {
    files = readdir(dir).then((all) => all.filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort())
    fileLists.set(dir, files)
  }
  return files
}

/** Names of the migration files not yet applied (for /readyz, so no directory read per probe). */
export async function pendingMigrations(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await migrationFiles(dir)
  const rows = await db.all<{ name: string }>('SELECT name FROM schema_migrations')
  const done = new Set(rows.map((r) => r.name))
  return files.filter((f) => !done.has(f))
}

/** Migration files hold plain DDL: statements end with `;` at the end of a line. */
function splitStatements(sql: string): string[] {
  return sql
    .replace(/^\s*--.*$/gm, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean)
}
