import { ESLint } from 'eslint'
import importX from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'
import { describe, expect, test } from 'vitest'
// @ts-expect-error: the ESLint config is plain JavaScript, without types
import { zones } from '../../eslint.config.js'

// The dependency direction of STYLE.md is a lint rule, so a wrong import fails CI: prove it bites.
const eslint = new ESLint({
  cwd: `${import.meta.dirname}/../..`,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { 'import-x': importX },
      rules: { 'import-x/no-restricted-paths': ['error', { zones }] },
    },
  ],
})

async function problems(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.map((m) => m.ruleId)
}

describe('the dependency direction', () => {
  test.each([
    ['shared/api/x.ts', "import { createApp } from '../../server/app.ts'"],
    ['widget/x.ts', "import { AppError } from '../server/errors.ts'"],
    ['server/x.ts', "import { createTestApp } from '../test/helpers/app.ts'"],
    ['server/providers/xero/x.ts', "import { openDb } from '../../db/client.ts'"],
    ['server/providers/x.ts', "import { createRouter } from '../http/openapi.ts'"],
  ])('%s may not import that', async (file, code) => {
    expect(await problems(file, code)).toContain('import-x/no-restricted-paths')
  })

  test.each([
    ['widget/x.ts', "import { ERRORS } from '../shared/errors.ts'"],
    ['server/x.ts', "import { ERRORS } from '../shared/errors.ts'"],
    ['server/http/x.ts', "import { openDb } from '../db/client.ts'"],
  ])('%s may import that', async (file, code) => {
    expect(await problems(file, code)).toEqual([])
  })
})
