import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

/**
 * `npm ci` refuses a lock file that does not describe the whole tree package.json asks for, and a
 * plain `npm install` then rewrites it. The lock once lacked the optional platform packages of
 * `unrs-resolver` (every platform's, not only this machine's, must be there): these checks are the
 * ones npm makes, run without the network.
 */
const root = join(import.meta.dirname, '..', '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
  string,
  Record<string, string>
>
interface LockEntry {
  version?: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
  link?: boolean
}
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number
  packages: Record<string, LockEntry>
}

/** Node's lookup: the nearest node_modules/<name> from the entry's folder up to the root. */
function resolve(from: string, name: string): LockEntry | undefined {
  let dir = from
  for (;;) {
    const hit = lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]
    if (hit) return hit
    if (!dir) return undefined
    const cut = dir.lastIndexOf('/node_modules/')
    dir = cut < 0 ? '' : dir.slice(0, cut)
  }
}

describe('package-lock.json', () => {
  test('records package.json’s dependencies as package.json states them', () => {
    const rootEntry = lock.packages['']!
    expect(lock.lockfileVersion).toBe(3)
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const)
      expect(rootEntry[field] ?? {}, field).toEqual(pkg[field] ?? {})
  })

  test('holds every dependency of every locked package, optional ones for other platforms included', () => {
    const missing: string[] = []
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (entry.link) continue
      const wanted = {
        ...entry.dependencies,
        ...entry.optionalDependencies,
        ...(path === '' ? entry.devDependencies : {}),
        ...Object.fromEntries(
          Object.entries(entry.peerDependencies ?? {}).filter(
            ([name]) => !entry.peerDependenciesMeta?.[name]?.optional,
          ),
        ),
      }
      for (const name of Object.keys(wanted))
        if (!resolve(path, name)) missing.push(`${name} (wanted by ${path || 'package.json'})`)
    }
    expect(missing).toEqual([])
  })
})
