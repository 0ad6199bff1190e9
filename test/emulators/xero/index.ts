import { listen } from '../common/server.ts'
import { createXeroApp } from './app.ts'
import type { XeroEmulatorOptions } from './context.ts'
import { createXeroContext } from './context.ts'
import type { XeroControl } from './control.ts'
import type { OAuthClient } from './identity/clients.ts'

export type { XeroEmulatorOptions } from './context.ts'
export type { XeroControl } from './control.ts'
export type { OAuthClient, XeroUser } from './identity/clients.ts'
export { DEMO_CLIENT, DEMO_USER } from './identity/clients.ts'
export { DEMO_ORGANISATIONS, DEMO_TENANT_IDS } from './seed/organisations.ts'
export { signXeroWebhook } from './webhooks/signature.ts'
export { XERO_FACTS } from './facts.ts'

export interface XeroEmulator {
  /** The one base URL: issuer, authorize page, token endpoints, /connections and /api.xro/2.0. */
  url: string
  clients: OAuthClient[]
  /** Every access token starts with this (the encoded JWT header), for leak greps (E-X12). */
  jwtCanaryPrefix: string
  control: XeroControl
  close(): Promise<void>
}

/** An emulator app without a socket, for `app.request()` tests; `issuer` is the origin it answers for. */
export function createXeroEmulatorApp(options: XeroEmulatorOptions & { issuer?: string } = {}) {
  const ctx = createXeroContext(options)
  ctx.setIssuer(options.issuer ?? 'http://xero.emulator.test')
  return { ...createXeroApp(ctx), ctx }
}

/** Starts the emulated Xero on loopback (port 0 = a free one). */
export async function startXeroEmulator(options: XeroEmulatorOptions = {}): Promise<XeroEmulator> {
  const ctx = createXeroContext(options)
  const { app, control } = createXeroApp(ctx)
  const server = await listen(app.fetch, {
    port: options.port ?? 0,
    ...(options.hostname ? { hostname: options.hostname } : {}),
  })
  ctx.setIssuer(server.url)
  return {
    url: server.url,
    clients: ctx.clients,
    jwtCanaryPrefix: ctx.signer.jwtCanaryPrefix,
    control,
    close: () => server.close(),
  }
}
