import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { CONFIG_DOCS } from '../../server/config.ts'

const root = join(import.meta.dirname, '..', '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

describe('README', () => {
  test('its configuration table is the configuration schema', () => {
    const section = readme.split('## Configuration')[1]!.split('\n## ')[0]!
    const rows = [...section.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*`([^`]*)`\s*\|\s*(.*?)\s*\|$/gm)].map(
      ([, name, def, doc]) => ({ name, def, doc }),
    )
    expect(rows.map((r) => r.name)).toEqual(Object.keys(CONFIG_DOCS))
    for (const row of rows) {
      const documented = CONFIG_DOCS[row.name as keyof typeof CONFIG_DOCS]
      expect(row.def, row.name).toBe(documented.default)
      expect(row.doc, row.name).toBe(documented.doc)
    }
  })

  test('shows the two commands, and CI runs its test command on a clean install from the lock', () => {
    expect(readme).toContain('npm install && npm start')
    expect(readme).toContain('npm install && npm test')
    expect(readme).toContain('npm ci && npm test')
    const ci = readFileSync(join(root, '.ci', 'run'), 'utf8')
    expect(ci).toMatch(/^npm ci && npm test$/m)
  })

  test('every npm script it names exists', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    for (const [, name] of readme.matchAll(/npm run ([a-z:]+)/g))
      expect(pkg.scripts, name).toHaveProperty(name!)
  })
})
