import type { ProviderAdapter, ProviderOrganisation } from '../../server/providers/provider.ts'
import { createSageAdapter } from '../../server/providers/sage/adapter.ts'
import type { ProviderSync } from '../../server/providers/sync-contract.ts'
import type { SageEmulator } from '../emulators/sage/index.ts'
import { DEFAULT_SAGE_CLIENT, startSageEmulator } from '../emulators/sage/index.ts'
import { consent } from '../emulators/sage/testing.ts'
import type { Harness } from './conformance.ts'
import { NOW, connect, frozenClock } from './conformance.ts'

/**
 * The data half of the Sage adapter connected to the Sage emulator through a real consent: the
 * emulator (its clock frozen, so its per-minute limit is raised: a suite makes a few hundred calls
 * inside one frozen minute), the sync half, the access token and the businesses it covers.
 */
export async function connectSageSync(): Promise<{
  emu: SageEmulator
  sync: ProviderSync
  accessToken: string
  organisations: ProviderOrganisation[]
}> {
  const emu = await startSageEmulator({
    clock: frozenClock(),
    throttle: { perMinute: 100_000, perDay: 1_000_000 },
  })
  const urls = {
    authorize: `${emu.url}/oauth2/auth/central?filter=apiv3.1`,
    token: `${emu.url}/token`,
    revoke: `${emu.url}/revoke`,
    api: `${emu.url}/v3.1`,
  }
  const adapter: ProviderAdapter = createSageAdapter({ ...DEFAULT_SAGE_CLIENT, urls, now: () => NOW })
  const harness = {
    adapter: () => adapter,
    redirectUri: DEFAULT_SAGE_CLIENT.redirectUris[0]!,
    consent: async (url: URL) =>
      (await consent(emu.url, { params: Object.fromEntries(url.searchParams) })).searchParams,
  } as unknown as Harness
  const { tokens, organisations } = await connect(harness, adapter)
  return { emu, sync: adapter.sync!, accessToken: tokens.accessToken, organisations }
}
