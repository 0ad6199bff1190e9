import { createXeroAdapter } from '../../../server/providers/xero/adapter.ts'
import type { ProviderAdapter } from '../../../server/providers/provider.ts'
import type {
  CreditNoteInput,
  InvoiceInput,
  ProviderAuth,
  ProviderSync,
} from '../../../server/providers/sync-contract.ts'
import { NOW, pkcePair } from '../../conformance/conformance.ts'
import type { XeroEmulator } from './index.ts'
import { DEMO_CLIENT, DEMO_ORGANISATIONS } from './index.ts'
import type { OrganisationStore } from './model.ts'
import type { OrganisationSeed } from './seed/organisations.ts'
import { UK, decide } from './testing.ts'

/** Helpers for driving the production Xero adapter's sync half against the emulator. */

/** The demo organisations, the UK one also using JPY and KWD (0 and 3 minor digits). */
export function syncOrganisations(): OrganisationSeed[] {
  return DEMO_ORGANISATIONS.map((o) =>
    o.profile.OrganisationID === UK ? { ...o, currencies: ['GBP', 'EUR', 'USD', 'JPY', 'KWD'] } : o,
  )
}

export function xeroAdapter(emu: XeroEmulator): ProviderAdapter & { sync: ProviderSync } {
  const adapter = createXeroAdapter({
    clientId: DEMO_CLIENT.clientId,
    clientSecret: DEMO_CLIENT.clientSecret!,
    urls: {
      authorize: `${emu.url}/identity/connect/authorize`,
      identity: emu.url,
      api: emu.url,
      app: emu.url,
    },
    now: () => NOW,
  })
  if (!adapter.sync) throw new Error('the Xero adapter has no sync part')
  return adapter as ProviderAdapter & { sync: ProviderSync }
}

/** Consent to the tenants, exchange the code: one ProviderAuth per organisation, by tenant id. */
export async function connectOrganisations(
  emu: XeroEmulator,
  adapter: ProviderAdapter,
  tenants: string[],
): Promise<Map<string, ProviderAuth>> {
  const redirectUri = DEMO_CLIENT.redirectUris[0]!
  const { verifier, challenge } = pkcePair()
  const url = adapter.oauth.authorizeUrl({ state: 'st-sync', codeChallenge: challenge, redirectUri })
  const callback = (await decide(emu, url.toString(), tenants)).searchParams
  const { tokens, grant } = await adapter.oauth.exchange({
    code: callback.get('code')!,
    codeVerifier: verifier,
    redirectUri,
    callback,
  })
  const organisations = await adapter.organisations.list(tokens.accessToken, grant)
  return new Map(organisations.map((o) => [o.id, { accessToken: tokens.accessToken, organisation: o }]))
}

export interface LineSpec {
  q: string
  p: string
  /** A TaxType of the organisation, or null for none. */
  tax: string | null
  discountRate?: string
  discountMinor?: bigint
  account?: string
  providerLineId?: string
}

export interface InvoiceSpec {
  number: string
  contactId: string
  currency: string
  amounts?: InvoiceInput['amounts']
  lines: LineSpec[]
  notes?: string
  existing?: InvoiceInput['existing']
}

/** An InvoiceInput whose figures come from the adapter's own totals(), as the engine will build it. */
export function buildInvoice(
  sync: ProviderSync,
  rates: Map<string, string>,
  spec: InvoiceSpec,
): InvoiceInput {
  const amounts = spec.amounts ?? 'tax_exclusive'
  const totals = sync.totals({
    currency: spec.currency,
    amounts,
    lines: spec.lines.map((l) => ({
      quantity: l.q,
      unitPrice: l.p,
      discountRate: l.discountRate ?? null,
      discountMinor: l.discountMinor ?? null,
      taxRate: l.tax === null ? null : (rates.get(l.tax) ?? '0'),
    })),
  })
  return {
    invoiceId: `inv_${spec.number}`,
    number: spec.number,
    reference: `ref-${spec.number}`,
    contact: { id: spec.contactId },
    currency: spec.currency,
    issueDate: '2026-11-01',
    dueDate: '2026-11-30',
    amounts,
    notes: spec.notes ?? null,
    lines: spec.lines.map((l, i) => ({
      lineId: `line_${i}`,
      providerLineId: l.providerLineId ?? null,
      description: `Line ${i + 1}`,
      quantity: l.q,
      unitPrice: l.p,
      discountRate: l.discountRate ?? null,
      discountMinor: l.discountMinor ?? null,
      accountRef: l.account ?? '200',
      taxRateRef: l.tax,
      itemRef: null,
      netMinor: totals.lines[i]!.netMinor,
      taxMinor: totals.lines[i]!.taxMinor,
    })),
    totals: { subtotalMinor: totals.subtotalMinor, taxMinor: totals.taxMinor, totalMinor: totals.totalMinor },
    existing: spec.existing ?? null,
  }
}

/** A CreditNoteInput built as an invoice's is (the same lines, the same totals()). */
export function buildCreditNote(
  sync: ProviderSync,
  rates: Map<string, string>,
  spec: InvoiceSpec & { voided?: boolean },
): CreditNoteInput {
  const { invoiceId: _, dueDate: __, ...rest } = buildInvoice(sync, rates, spec)
  return { ...rest, creditNoteId: `cn_${spec.number}`, voided: spec.voided ?? false }
}

/** An active customer contact put straight into an organisation, as one made in Xero's app would be. */
export function seedContact(org: OrganisationStore, id: string, name: string) {
  org.contacts.set(id, {
    ContactID: id,
    Name: name,
    ContactStatus: 'ACTIVE',
    IsCustomer: true,
    IsSupplier: false,
    Addresses: [],
    Phones: [],
    UpdatedDateUTC: Date.now(),
  })
}
