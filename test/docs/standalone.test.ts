import { execFileSync } from 'node:child_process'
import { lstatSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { describe, expect, test } from 'vitest'

/**
 * A fresh clone has nothing beside it: no file of the repository may reach above its root at run
 * or test time (the emulators once read their API descriptions from a folder next to the clone).
 * Every file git would commit is scanned, except Markdown, which may cite sources anywhere.
 */
const root = join(import.meta.dirname, '..', '..')

const QUOTED = /(['"`])(\.{1,2}(?:\/[^'"`\n$]*)?)\1/g
const JOINED = /\b(?:join|resolve)\(\s*(?:import\.meta\.dirname|__dirname)((?:\s*,\s*(['"])[^'"\n]*\2)+)/g
// These read a relative path against the working directory (the root), not against the file.
const CWD_READ =
  /(?<!\w)(?<!(?:meta|require)\.)(?:readFileSync|readFile|readdirSync|readdir|existsSync|statSync|createReadStream|resolve)\(\s*(['"`])(\.{1,2}(?:\/[^'"`\n$]*)?)\1/g

const outside = (target: string) => {
  const rel = relative(root, target)
  return rel === '..' || rel.startsWith(`..${sep}`)
}

/** The paths in `source` (the text of `file`, relative to the root) that land above the root. */
function pathsOutsideRoot(file: string, source: string): string[] {
  const dir = dirname(join(root, file))
  const found: string[] = []
  for (const [, , path] of source.matchAll(QUOTED)) if (outside(resolve(dir, path!))) found.push(path!)
  for (const [, args] of source.matchAll(JOINED)) {
    const parts = [...args!.matchAll(/(['"])([^'"\n]*)\1/g)].map((m) => m[2]!)
    if (outside(join(dir, ...parts))) found.push(parts.join('/'))
  }
  for (const [, , path] of source.matchAll(CWD_READ)) if (outside(resolve(root, path!))) found.push(path!)
  return found
}

function repositoryFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
  return listed
    .split('\0')
    .filter((f) => f && lstatSync(join(root, f), { throwIfNoEntry: false })?.isFile())
    .sort()
}

describe('the repository stands alone', () => {
  const up = (n: number) => '../'.repeat(n)

  test('the scan sees each way of climbing out of the root', () => {
    const specRead = `fileURLToPath(new URL('${up(5)}shared/specs/xero_accounting.yaml', import.meta.url))`
    expect(pathsOutsideRoot('test/emulators/xero/api/spec.ts', specRead)).toHaveLength(1)
    const xsdDir = `const SPEC_DIR = fileURLToPath(new URL("${up(5)}shared/specs/qbo-xsd/", import.meta.url))`
    expect(pathsOutsideRoot('test/emulators/quickbooks/xsd/schema.ts', xsdDir)).toHaveLength(1)
    expect(pathsOutsideRoot('server/x.ts', `join(import.meta.dirname, '..', '..', 'shared')`)).toHaveLength(1)
    expect(pathsOutsideRoot('test/a/b.ts', `readFileSync('${up(1)}shared/specs/x.yaml')`)).toHaveLength(1)
    expect(pathsOutsideRoot('vitest.config.ts', `'${up(1)}shared/specs'`)).toHaveLength(1)
  })

  test('and leaves paths inside it alone', () => {
    const inside = [
      `import { ERRORS } from '${up(1)}shared/errors.ts'`,
      `fileURLToPath(new URL('${up(2)}specs/x.json', import.meta.url))`,
      `join(import.meta.dirname, '..', 'fixtures', 'db-writer.ts')`,
      `readFileSync('./package.json')`,
    ]
    for (const source of inside) expect(pathsOutsideRoot('server/http/app.ts', source), source).toEqual([])
  })

  test('no file reads a path above the repository root', () => {
    const offenders = repositoryFiles()
      .filter((file) => !file.endsWith('.md'))
      .flatMap((file) => {
        const text = readFileSync(join(root, file), 'utf8')
        if (text.includes('\0')) return [] // binary
        return pathsOutsideRoot(file, text).map((path) => `${file}: ${path}`)
      })
    expect(offenders).toEqual([])
  })

  test('each file it ships stays under 2 MB (provider specs are reduced, not copied whole)', () => {
    const large = repositoryFiles().filter((file) => statSync(join(root, file)).size > 2 * 1024 * 1024)
    expect(large).toEqual([])
  })
})
