// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import importX from 'eslint-plugin-import-x'

/**
 * The dependency direction of STYLE.md, as zones the import rule enforces:
 * shared imports only zod; widget imports shared; extension imports widget and shared;
 * server imports shared; nothing imports test/; providers import neither db nor http.
 */
export const zones = [
  { target: './shared', from: ['./server', './widget', './extension', './test', './bench'] },
  { target: './widget', from: ['./server', './extension', './test', './bench'] },
  { target: './extension', from: ['./server', './test', './bench'] },
  { target: './server', from: ['./widget', './extension', './test', './bench'] },
  { target: './server/providers', from: ['./server/db', './server/http'] },
  {
    target: './server/db',
    from: ['./server/http', './server/auth', './server/connections', './server/sync'],
  },
]

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'data',
      'dist',
      '.output',
      '.wxt',
      'coverage',
      'eslint.config.js',
      'server/assets',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportDefaultDeclaration',
          message: 'Named exports only (STYLE.md); WXT entrypoints are the exception.',
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|\\.{1,2}/)', message: 'shared/ imports only zod (STYLE.md).' }] },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['*.config.ts', 'extension/entrypoints/**/*.{ts,tsx}'],
    rules: { 'no-restricted-syntax': 'off' },
  },
)
