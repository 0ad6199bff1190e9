import type { Currency, LedgerAccount, TaxRate } from './types.ts'

/**
 * A UK Sage Accounting chart (nominal codes and names as the UK default chart uses them), with the
 * flags that decide what a sales line may post to. Ledger account ids are stable per business,
 * derived from the nominal code by the seeder.
 */
type ChartRow = Omit<LedgerAccount, 'id' | 'defaultTaxRateId'> & { defaultTaxRate?: string }

const row = (
  nominalCode: number,
  name: string,
  typeId: string,
  typeName: string,
  flags: Partial<
    Pick<ChartRow, 'visibleInSales' | 'includedInChart' | 'isControlAccount' | 'defaultTaxRate'>
  > = {},
): ChartRow => ({
  nominalCode,
  name,
  typeId,
  typeName,
  visibleInSales: flags.visibleInSales ?? false,
  includedInChart: flags.includedInChart ?? true,
  isControlAccount: flags.isControlAccount ?? false,
  ...(flags.defaultTaxRate ? { defaultTaxRate: flags.defaultTaxRate } : {}),
})

export const UK_CHART: ChartRow[] = [
  row(1100, 'Trade Debtors', 'CURRENT_ASSETS', 'Current Assets', { isControlAccount: true }),
  row(1200, 'Current', 'BANK', 'Bank'),
  row(1210, 'Savings', 'BANK', 'Bank'),
  row(2100, 'Trade Creditors', 'CURRENT_LIABILITY', 'Current Liabilities', { isControlAccount: true }),
  row(2200, 'Sales Tax Control Account', 'CURRENT_LIABILITY', 'Current Liabilities', {
    isControlAccount: true,
  }),
  row(2201, 'Purchase Tax Control Account', 'CURRENT_LIABILITY', 'Current Liabilities', {
    isControlAccount: true,
  }),
  row(3200, 'Retained Earnings', 'EQUITY', 'Equity'),
  row(4000, 'Sales Type A', 'SALES', 'Sales', { visibleInSales: true, defaultTaxRate: 'STANDARD' }),
  row(4010, 'Sales Type B', 'SALES', 'Sales', { visibleInSales: true, defaultTaxRate: 'STANDARD' }),
  row(4020, 'Sales Type C', 'SALES', 'Sales', { visibleInSales: true, defaultTaxRate: 'ZERO' }),
  // Hidden from the chart (the UI's "remove from chart"): the API refuses to post to it.
  row(4030, 'Sales Type D', 'SALES', 'Sales', { visibleInSales: true, includedInChart: false }),
  row(4900, 'Miscellaneous Income', 'OTHER_INCOME', 'Other Income', {
    visibleInSales: true,
    defaultTaxRate: 'EXEMPT',
  }),
  row(4905, 'Distribution and Carriage', 'OTHER_INCOME', 'Other Income', { visibleInSales: true }),
  row(5000, 'Cost of sales - goods', 'DIRECT_EXPENSES', 'Direct Expenses'),
  row(7100, 'Rent and rates', 'OVERHEADS', 'Overheads'),
  row(7502, 'Telephone and internet', 'OVERHEADS', 'Overheads'),
  row(7900, 'Bank charges and interest', 'OVERHEADS', 'Overheads'),
]

/** UK VAT rates (ids as Sage UK names them: GB_STANDARD, …). */
export const UK_VAT_RATES: TaxRate[] = [
  { id: 'GB_STANDARD', name: 'Standard 20.00%', percentage: 20, zeroKind: false },
  { id: 'GB_REDUCED', name: 'Reduced 5.00%', percentage: 5, zeroKind: false },
  { id: 'GB_ZERO', name: 'Zero 0.00%', percentage: 0, zeroKind: true },
  { id: 'GB_EXEMPT', name: 'Exempt 0.00%', percentage: 0, zeroKind: true },
  { id: 'GB_NO_TAX', name: 'No VAT', percentage: 0, zeroKind: true },
]

/** A business not registered for VAT only has "No VAT". */
export const UK_UNREGISTERED_RATES: TaxRate[] = UK_VAT_RATES.filter((r) => r.id === 'GB_NO_TAX')

export const CURRENCIES: Currency[] = [
  { id: 'GBP', name: 'Pound Sterling', symbol: '£', perGbp: 1 },
  { id: 'EUR', name: 'Euro', symbol: '€', perGbp: 1.17 },
  { id: 'USD', name: 'US Dollar', symbol: '$', perGbp: 1.27 },
  { id: 'AUD', name: 'Australian Dollar', symbol: '$', perGbp: 1.93 },
]
