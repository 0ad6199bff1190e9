import type { ProviderSync } from '../sync-contract.ts'
import { createQuickBooksChart } from './chart.ts'
import type { CompanyApi } from './company.ts'
import { createQuickBooksContacts } from './contacts.ts'
import { createQuickBooksCreditNotes } from './credit-notes.ts'
import { createQuickBooksInvoices } from './invoices.ts'
import { createQuickBooksPayments } from './payments.ts'
import { quickBooksTotals } from './totals.ts'

/** The data half of the QuickBooks adapter: stateless, every call through the typed company client. */
export function createQuickBooksSync(company: CompanyApi): ProviderSync {
  return {
    totals: quickBooksTotals,
    lineAccount: 'id',
    contacts: createQuickBooksContacts(company),
    invoices: createQuickBooksInvoices(company),
    payments: createQuickBooksPayments(company),
    creditNotes: createQuickBooksCreditNotes(company),
    chart: createQuickBooksChart(company),
  }
}
