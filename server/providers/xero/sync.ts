import type { ProviderHttp } from '../provider-http.ts'
import { withRecordLinks } from '../record-links.ts'
import type { ProviderSync } from '../sync-contract.ts'
import { createXeroChanges } from './changes.ts'
import { createXeroChart } from './chart.ts'
import { createXeroApiClient } from './client.ts'
import { createXeroContacts } from './contacts.ts'
import { createXeroCreditNotes } from './credit-notes.ts'
import { createXeroInvoices } from './invoices.ts'
import { xeroLinks } from './links.ts'
import { createXeroPayments } from './payments.ts'
import { xeroTotals } from './totals.ts'

/**
 * The data half of the Xero adapter (sync-contract.ts); stateless, like the rest of it. Its
 * invoices, credit notes and contacts carry the link that opens them in Xero (links.ts).
 */
export function createXeroSync(http: ProviderHttp, urls: { api: string; app: string }): ProviderSync {
  const api = createXeroApiClient(http, urls.api)
  const sync: ProviderSync = {
    totals: xeroTotals,
    lineAccount: 'code',
    contacts: createXeroContacts(api),
    invoices: createXeroInvoices(api),
    payments: createXeroPayments(api),
    creditNotes: createXeroCreditNotes(api),
    changes: createXeroChanges(api),
    chart: createXeroChart(api),
  }
  return withRecordLinks(sync, xeroLinks(urls.app))
}
