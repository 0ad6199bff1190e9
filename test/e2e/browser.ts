import { execFileSync } from 'node:child_process'
import { chromium, type Browser } from 'playwright-core'
import { inject } from 'vitest'

/**
 * Debian's Chromium, found on PATH (CHROMIUM_PATH overrides), never a downloaded browser. The
 * flags keep it off the network: this machine reaches nothing but loopback.
 */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
      encoding: 'utf8',
    }).trim()
  } catch {
    throw new Error(
      'Chromium is not installed: apt-get install -y chromium (CI installs it), or set CHROMIUM_PATH',
    )
  }
}

/** The one Chromium of this test run, started by the global setup; each file connects to it. */
export async function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('chromiumWsEndpoint'))
}
