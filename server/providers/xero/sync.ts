import type { ProviderHttp } from '../provider-http.ts'
import type { ProviderSync } from '../sync-contract.ts'
import { createXeroChart } from './chart.ts'
import { createXeroApiClient } from './client.ts'
import { createXeroContacts } from './contacts.ts'
import { createXeroCreditNotes } from './credit-notes.ts'
import { createXeroInvoices } from './invoices.ts'
import { createXeroPayments } from './payments.ts'
import { xeroTotals } from './totals.ts'

/** The data half of the Xero adapter (sync-contract.ts); stateless, like the rest of it. */
export function createXeroSync(http: ProviderHttp, apiUrl: string): ProviderSync {
  const api = createXeroApiClient(http, apiUrl)
  return {
    totals: xeroTotals,
    lineAccount: 'code',
    contacts: createXeroContacts(api),
    invoices: createXeroInvoices(api),
    payments: createXeroPayments(api),
    creditNotes: createXeroCreditNotes(api),
    chart: createXeroChart(api),
  }
}
