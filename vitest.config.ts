import { configDefaults, defineConfig } from 'vitest/config'

const ALL = ['shared/**/*.test.ts', 'server/**/*.test.ts', 'widget/**/*.test.{ts,tsx}', 'test/**/*.test.ts']
// Loads the widget's entry twice and needs it fresh each time, in a window no other file touched.
const ISOLATED = ['widget/boot.test.ts']
// Drive Chromium, which the global setup starts once, only when one of these files runs.
const BROWSER = ['test/e2e/**/*.test.ts']

/**
 * Test files share their worker processes (isolate: false): a fresh process and module graph per
 * file cost more than half of the run. A file that needs a clean slate goes in ISOLATED. Two
 * workers, not the default of one on a 2-core machine: much of the suite waits on sockets and
 * child processes, and the whole run took about a fifth less with two.
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ALL,
          exclude: [...configDefaults.exclude, ...ISOLATED, ...BROWSER],
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER,
          isolate: false,
          globalSetup: ['test/e2e/global-setup.ts'],
        },
      },
    ],
  },
})
