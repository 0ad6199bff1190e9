import { createQuickBooksAdapter } from '../../server/providers/quickbooks/adapter.ts'
import type { InvoiceInput, ProviderAuth, ProviderSync } from '../../server/providers/sync-contract.ts'
import { DEFAULT_CLIENT, DEFAULT_COMPANY, startQuickBooksEmulator } from '../emulators/quickbooks/index.ts'
import type { QuickBooksEmulator } from '../emulators/quickbooks/index.ts'
import { consent } from '../emulators/quickbooks/test-support.ts'
import { NOW, frozenClock } from './conformance.ts'

/** The QuickBooks adapter for an emulator, on the conformance suite's fixed clock. */
export function quickBooksAdapter(
  emu: QuickBooksEmulator,
  options: { clientSecret?: string; timeoutMs?: number } = {},
) {
  return createQuickBooksAdapter({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: options.clientSecret ?? DEFAULT_CLIENT.clientSecret,
    urls: {
      authorize: `${emu.url}/connect/oauth2`,
      token: `${emu.url}/oauth2/v1/tokens/bearer`,
      revoke: `${emu.url}/v2/oauth2/tokens/revoke`,
      api: emu.url,
      app: emu.url,
    },
    now: () => NOW,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  })
}

/**
 * The data half of the QuickBooks adapter connected to an emulated UK company (VAT codes per line,
 * the model whose totals a client can reproduce) with multicurrency on and EUR enabled: the
 * emulator, the sync half and the company's auth, through a real consent and code exchange.
 */
export async function connectQuickBooksSync(): Promise<{
  emu: QuickBooksEmulator
  sync: ProviderSync
  auth: ProviderAuth
}> {
  const emu = await startQuickBooksEmulator({
    clock: frozenClock(),
    companies: [{ ...DEFAULT_COMPANY, region: 'GB', multicurrency: true }],
  })
  const adapter = quickBooksAdapter(emu)
  const redirectUri = DEFAULT_CLIENT.redirectUris[0]!
  const url = adapter.oauth.authorizeUrl({ state: 's', codeChallenge: 'c', redirectUri })
  const callback = (await consent(emu, Object.fromEntries(url.searchParams))).searchParams
  const { tokens } = await adapter.oauth.exchange({
    code: callback.get('code')!,
    codeVerifier: 'v',
    redirectUri,
    callback,
  })
  const auth = {
    accessToken: tokens.accessToken,
    organisation: { id: DEFAULT_COMPANY.realmId, name: DEFAULT_COMPANY.name },
  }
  return { emu, sync: adapter.sync!, auth }
}

/**
 * An invoice as the engine builds it, its totals the adapter's own totals(): one line of 1 ×
 * `unitPrice` (100.00 unless told) at 20% VAT (tax code 2), item 1 on account 1, to customer 1,
 * issued 2026-11-20 and due 2026-12-20.
 */
export function quickBooksInvoice(
  sync: ProviderSync,
  ids: { invoiceId: string; number: string; lineId: string },
  o: { unitPrice?: string; currency?: string } = {},
): InvoiceInput {
  const currency = o.currency ?? 'GBP'
  const line = {
    quantity: '1',
    unitPrice: o.unitPrice ?? '100',
    discountRate: null,
    discountMinor: null,
    taxRate: '20',
  }
  const totals = sync.totals({ currency, amounts: 'tax_exclusive', lines: [line] })
  return {
    invoiceId: ids.invoiceId,
    number: ids.number,
    reference: null,
    contact: { id: '1' },
    currency,
    issueDate: '2026-11-20',
    dueDate: '2026-12-20',
    amounts: 'tax_exclusive',
    notes: null,
    lines: [
      {
        ...line,
        lineId: ids.lineId,
        providerLineId: null,
        description: 'Subscription',
        accountRef: '1',
        taxRateRef: '2',
        itemRef: '1',
        netMinor: totals.lines[0]!.netMinor,
        taxMinor: totals.lines[0]!.taxMinor,
      },
    ],
    totals,
    existing: null,
  }
}
