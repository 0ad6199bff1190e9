import { withRecordLinks } from '../record-links.ts'
import type { ProviderSync } from '../sync-contract.ts'
import { createQuickBooksChanges } from './changes.ts'
import { createQuickBooksChart } from './chart.ts'
import type { CompanyApi } from './company.ts'
import { createQuickBooksContacts } from './contacts.ts'
import { createQuickBooksCreditNotes } from './credit-notes.ts'
import { createQuickBooksInvoices } from './invoices.ts'
import { quickBooksLinks } from './links.ts'
import { createQuickBooksPayments } from './payments.ts'
import { quickBooksTotals } from './totals.ts'

/**
 * The data half of the QuickBooks adapter: stateless, every call through the typed company client.
 * Its invoices, credit memos and customers carry the link that opens them in QuickBooks (links.ts).
 */
export function createQuickBooksSync(company: CompanyApi, appUrl: string): ProviderSync {
  const sync: ProviderSync = {
    totals: quickBooksTotals,
    lineAccount: 'id',
    contacts: createQuickBooksContacts(company),
    invoices: createQuickBooksInvoices(company),
    payments: createQuickBooksPayments(company),
    creditNotes: createQuickBooksCreditNotes(company),
    changes: createQuickBooksChanges(company),
    chart: createQuickBooksChart(company),
  }
  return withRecordLinks(sync, quickBooksLinks(appUrl))
}
