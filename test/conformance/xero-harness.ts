import type { ProviderAuth, ProviderSync } from '../../server/providers/sync-contract.ts'
import type { XeroEmulator } from '../emulators/xero/index.ts'
import { startXeroEmulator } from '../emulators/xero/index.ts'
import type { InvoiceSpec } from '../emulators/xero/sync-testing.ts'
import { connectOrganisations, syncOrganisations, xeroAdapter } from '../emulators/xero/sync-testing.ts'
import { frozenClock } from './conformance.ts'
import { findContact } from './contacts.ts'

/**
 * The data half of the Xero adapter connected to emulated organisations (UK and US by the
 * caller's choice) through a real consent and code exchange, on the conformance suite's clock and
 * with limits out of the way: the emulator, the sync half, each organisation's auth (and the first
 * one's as `auth`), the tax rates by id, and the seeded customer CUST-001 of the first organisation.
 */
export async function connectXeroSync(tenants: readonly string[]): Promise<{
  emu: XeroEmulator
  sync: ProviderSync
  auths: Map<string, ProviderAuth>
  auth: ProviderAuth
  rates: Map<string, string>
  acme: string
}> {
  const emu = await startXeroEmulator({
    clock: frozenClock(),
    organisations: syncOrganisations(),
    limits: { perMinute: 100_000, perDay: 1_000_000 },
  })
  const adapter = xeroAdapter(emu)
  const { sync } = adapter
  const auths = await connectOrganisations(emu, adapter, [...tenants])
  const rates = new Map<string, string>()
  for (const auth of auths.values()) for (const r of await sync.chart.taxRates(auth)) rates.set(r.id, r.rate)
  const first = auths.get(tenants[0]!)!
  const acme = (await findContact(sync, first, { reference: 'CUST-001', email: null, name: 'x' }))!.id
  return { emu, sync, auths, auth: first, rates, acme }
}

/** An invoice of 2 × 49.50 + 20% VAT: 118.80 GBP to `contactId`, numbered `number`. */
export const standardSpec = (number: string, contactId: string): InvoiceSpec => ({
  number,
  contactId,
  currency: 'GBP',
  lines: [{ q: '2', p: '49.50', tax: 'OUTPUT2' }],
})
