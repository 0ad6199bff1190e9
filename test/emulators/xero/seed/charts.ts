import type { AccountClass, TaxRateRecord } from '../model.ts'

/** Account Type → Class, as Xero derives it. */
const CLASS_OF_TYPE: Record<string, AccountClass> = {
  BANK: 'ASSET',
  CURRENT: 'ASSET',
  FIXED: 'ASSET',
  INVENTORY: 'ASSET',
  NONCURRENT: 'ASSET',
  PREPAYMENT: 'ASSET',
  CURRLIAB: 'LIABILITY',
  LIABILITY: 'LIABILITY',
  TERMLIAB: 'LIABILITY',
  EQUITY: 'EQUITY',
  REVENUE: 'REVENUE',
  SALES: 'REVENUE',
  OTHERINCOME: 'REVENUE',
  EXPENSE: 'EXPENSE',
  OVERHEADS: 'EXPENSE',
  DIRECTCOSTS: 'EXPENSE',
  DEPRECIATN: 'EXPENSE',
}

export function classOfType(type: string): AccountClass {
  const cls = CLASS_OF_TYPE[type]
  if (!cls) throw new Error(`unknown account type ${type}`)
  return cls
}

/** One chart line: code, name, type, default tax type, and optional flags. */
export type ChartLine = [
  code: string,
  name: string,
  type: string,
  taxType: string,
  extra?: { system?: string; archived?: boolean; payments?: boolean; bank?: string },
]

type Applies = 'revenue' | 'expenses' | 'all' | 'balance'
const APPLIES: Record<Applies, (keyof TaxRateRecord)[]> = {
  revenue: ['CanApplyToRevenue'],
  expenses: ['CanApplyToExpenses', 'CanApplyToAssets'],
  balance: ['CanApplyToAssets', 'CanApplyToEquity', 'CanApplyToLiabilities'],
  all: [
    'CanApplyToAssets',
    'CanApplyToEquity',
    'CanApplyToExpenses',
    'CanApplyToLiabilities',
    'CanApplyToRevenue',
  ],
}

export function taxRate(
  TaxType: string,
  Name: string,
  EffectiveRate: number,
  ReportTaxType: string,
  applies: Applies,
): TaxRateRecord {
  const rate: TaxRateRecord = {
    Name,
    TaxType,
    ReportTaxType,
    Status: 'ACTIVE',
    EffectiveRate,
    CanApplyToAssets: false,
    CanApplyToEquity: false,
    CanApplyToExpenses: false,
    CanApplyToLiabilities: false,
    CanApplyToRevenue: false,
  }
  for (const flag of APPLIES[applies]) (rate as unknown as Record<string, unknown>)[flag] = true
  return rate
}

/** The system and balance-sheet accounts every region shares (codes as in Xero's demo companies). */
function balanceSheet(bankName: string, taxLiability: string): ChartLine[] {
  return [
    ['090', bankName, 'BANK', 'NONE', { bank: '12345678' }],
    ['610', 'Accounts Receivable', 'CURRENT', 'NONE', { system: 'DEBTORS' }],
    ['800', 'Accounts Payable', 'CURRLIAB', 'NONE', { system: 'CREDITORS' }],
    ['820', taxLiability, 'CURRLIAB', 'NONE', { system: 'GST' }],
    ['855', 'Clearing Account', 'CURRLIAB', 'NONE', { payments: true }],
    ['860', 'Rounding', 'CURRLIAB', 'NONE', { system: 'ROUNDING' }],
    ['960', 'Retained Earnings', 'EQUITY', 'NONE', { system: 'RETAINEDEARNINGS' }],
  ]
}

export const UK_TAX_RATES = [
  taxRate('OUTPUT2', '20% (VAT on Income)', 20, 'OUTPUT', 'revenue'),
  taxRate('INPUT2', '20% (VAT on Expenses)', 20, 'INPUT', 'expenses'),
  taxRate('RROUTPUT', '5% (VAT on Income)', 5, 'OUTPUT', 'revenue'),
  taxRate('RRINPUT', '5% (VAT on Expenses)', 5, 'INPUT', 'expenses'),
  taxRate('ZERORATEDOUTPUT', 'Zero Rated Income', 0, 'OUTPUT', 'revenue'),
  taxRate('ZERORATEDINPUT', 'Zero Rated Expenses', 0, 'INPUT', 'expenses'),
  taxRate('EXEMPTOUTPUT', 'Exempt Income', 0, 'EXEMPTOUTPUT', 'revenue'),
  taxRate('EXEMPTINPUT', 'Exempt Expenses', 0, 'EXEMPTINPUT', 'expenses'),
  taxRate('NONE', 'No VAT', 0, 'NONE', 'all'),
]

export const UK_CHART: ChartLine[] = [
  ['200', 'Sales', 'SALES', 'OUTPUT2'],
  ['260', 'Other Revenue', 'REVENUE', 'OUTPUT2'],
  ['270', 'Interest Income', 'OTHERINCOME', 'EXEMPTOUTPUT'],
  ['310', 'Cost of Goods Sold', 'DIRECTCOSTS', 'INPUT2'],
  ['400', 'Advertising & Marketing', 'OVERHEADS', 'INPUT2'],
  ['429', 'General Expenses', 'OVERHEADS', 'INPUT2', { archived: true }],
  ...balanceSheet('Business Current Account', 'VAT'),
]

export const US_TAX_RATES = [
  taxRate('NONE', 'Tax Exempt', 0, 'NONE', 'all'),
  taxRate('OUTPUT', 'Tax on Sales', 0, 'OUTPUT', 'revenue'),
  taxRate('INPUT', 'Tax on Purchases', 0, 'INPUT', 'expenses'),
  taxRate('TAX001', 'California Sales Tax', 7.25, 'USSALESTAX', 'revenue'),
  taxRate('TAX002', 'New York Sales Tax', 8.875, 'USSALESTAX', 'revenue'),
]

export const US_CHART: ChartLine[] = [
  ['400', 'Sales', 'REVENUE', 'TAX001'],
  ['460', 'Other Revenue', 'REVENUE', 'NONE'],
  ['470', 'Interest Income', 'OTHERINCOME', 'NONE'],
  ['500', 'Cost of Goods Sold', 'DIRECTCOSTS', 'INPUT'],
  ['600', 'Advertising', 'OVERHEADS', 'INPUT'],
  ['629', 'General Expenses', 'OVERHEADS', 'INPUT', { archived: true }],
  ...balanceSheet('Checking Account', 'Sales Tax Payable'),
]

export const AU_TAX_RATES = [
  taxRate('OUTPUT', 'GST on Income', 10, 'OUTPUT', 'revenue'),
  taxRate('INPUT', 'GST on Expenses', 10, 'INPUT', 'expenses'),
  taxRate('EXEMPTOUTPUT', 'GST Free Income', 0, 'EXEMPTOUTPUT', 'revenue'),
  taxRate('EXEMPTEXPENSES', 'GST Free Expenses', 0, 'EXEMPTEXPENSES', 'expenses'),
  taxRate('INPUTTAXED', 'Input Taxed', 0, 'INPUTTAXED', 'all'),
  taxRate('BASEXCLUDED', 'BAS Excluded', 0, 'BASEXCLUDED', 'all'),
  taxRate('GSTONIMPORTS', 'GST on Imports', 0, 'GSTONIMPORTS', 'expenses'),
]

export const AU_CHART: ChartLine[] = [
  ['200', 'Sales', 'REVENUE', 'OUTPUT'],
  ['260', 'Other Revenue', 'REVENUE', 'OUTPUT'],
  ['270', 'Interest Income', 'OTHERINCOME', 'INPUTTAXED'],
  ['310', 'Cost of Goods Sold', 'DIRECTCOSTS', 'INPUT'],
  ['400', 'Advertising', 'OVERHEADS', 'INPUT'],
  ['429', 'General Expenses', 'OVERHEADS', 'INPUT', { archived: true }],
  ...balanceSheet('Business Bank Account', 'GST'),
]
