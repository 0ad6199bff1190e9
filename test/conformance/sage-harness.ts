import type { ProviderAdapter, ProviderOrganisation } from '../../server/providers/provider.ts'
import { createSageAdapter } from '../../server/providers/sage/adapter.ts'
import type { InvoiceInput, ProviderAuth, ProviderSync } from '../../server/providers/sync-contract.ts'
import { seedIds } from '../emulators/sage/fixtures.ts'
import type { SageEmulator } from '../emulators/sage/index.ts'
import { DEFAULT_SAGE_CLIENT, SAGE_DEMO_IDS, startSageEmulator } from '../emulators/sage/index.ts'
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

/**
 * connectSageSync, and the auth of one of the businesses it covers: Hartley (VAT-registered, the
 * one the suites push to) unless told.
 */
export async function connectSageBusiness(businessId: string = SAGE_DEMO_IDS.hartley) {
  const connected = await connectSageSync()
  const auth: ProviderAuth = {
    accessToken: connected.accessToken,
    organisation: connected.organisations.find((o) => o.id === businessId)!,
  }
  return { ...connected, auth }
}

/**
 * What an invoice and a credit note share, as the engine hands them over: one line of `net`
 * (100.00 unless told) + 20% VAT (GB_STANDARD) on ledger 4000, to the Hartley contact `contact`
 * (ACME001 unless told), issued 2026-11-02, its totals figured by the adapter's own totals(). The
 * caller adds the document's id and number (and an invoice's due date).
 */
export function sageDocument(
  emu: SageEmulator,
  sync: ProviderSync,
  o: { lineId: string; description?: string; net?: string; currency?: string; contact?: string },
) {
  const ids = seedIds(emu)
  const currency = o.currency ?? 'GBP'
  const line = { quantity: '1', unitPrice: o.net ?? '100', discountRate: null, discountMinor: null }
  const totals = sync.totals({
    currency,
    amounts: 'tax_exclusive',
    lines: [{ ...line, taxRate: '20' }],
  })
  return {
    reference: null,
    contact: { id: ids.contact(o.contact ?? 'ACME001') },
    currency,
    issueDate: '2026-11-02',
    amounts: 'tax_exclusive',
    notes: null,
    lines: [
      {
        ...line,
        lineId: o.lineId,
        providerLineId: null,
        description: o.description ?? 'Consulting',
        accountRef: ids.ledger(4000),
        taxRateRef: 'GB_STANDARD',
        itemRef: null,
        netMinor: totals.lines[0]!.netMinor,
        taxMinor: totals.lines[0]!.taxMinor,
      },
    ],
    totals: { subtotalMinor: totals.subtotalMinor, taxMinor: totals.taxMinor, totalMinor: totals.totalMinor },
    existing: null,
  } satisfies Omit<InvoiceInput, 'invoiceId' | 'number' | 'dueDate'>
}
