import { chromium, type BrowserServer } from 'playwright-core'
import type { TestProject } from 'vitest/node'
import { CHROMIUM_ARGS, chromiumPath } from './browser.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumWsEndpoint: string
  }
}

let server: BrowserServer | undefined

/** One Chromium for every browser test file of the run (started once, shared over its WebSocket). */
export async function setup(project: TestProject) {
  server = await chromium.launchServer({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
  })
  project.provide('chromiumWsEndpoint', server.wsEndpoint())
}

export async function teardown() {
  await server?.close()
}
