import { randomUUID } from 'node:crypto'
import { XERO_MESSAGES } from '../messages.ts'
import type {
  AccountRecord,
  LineAmountTypes,
  LineItemRecord,
  OrganisationStore,
  TaxRateRecord,
} from '../model.ts'
import type { LineInput } from './totals.ts'
import { computeLine } from './totals.ts'

/** System accounts and bank accounts cannot take a document line (CERTIFICATION XR-D01). */
const LINE_SYSTEM_ACCOUNTS = new Set(['DEBTORS', 'CREDITORS', 'GST', 'RETAINEDEARNINGS', 'UNPAIDEXPCLM'])

const CAN_APPLY: Record<AccountRecord['Class'], keyof TaxRateRecord> = {
  ASSET: 'CanApplyToAssets',
  EQUITY: 'CanApplyToEquity',
  EXPENSE: 'CanApplyToExpenses',
  LIABILITY: 'CanApplyToLiabilities',
  REVENUE: 'CanApplyToRevenue',
}

export interface LineOptions {
  amountTypes: LineAmountTypes
  unitdp: number
  /** Discounts are for sales invoices only (PROVIDERS 1.7). */
  allowDiscounts: boolean
  /** Lines already on the document, so a LineItemID keeps its identity. */
  existing?: LineItemRecord[]
}

/**
 * Checks each line against the organisation (account code active and postable, tax type valid for
 * the account) and computes it; returns the lines or every message at once, as Xero lists them.
 */
export function buildLines(
  org: OrganisationStore,
  inputs: (LineInput & { AccountID?: string })[],
  options: LineOptions,
): { lines: LineItemRecord[] } | { errors: string[] } {
  const errors: string[] = []
  const lines: LineItemRecord[] = []
  for (const input of inputs) {
    const account = input.AccountCode
      ? org.accounts.find((a) => a.Code === input.AccountCode)
      : input.AccountID
        ? org.accounts.find((a) => a.AccountID === input.AccountID)
        : undefined
    const code = input.AccountCode ?? input.AccountID
    if (code !== undefined) {
      if (!account || account.Type === 'BANK' || LINE_SYSTEM_ACCOUNTS.has(account.SystemAccount ?? '')) {
        errors.push(XERO_MESSAGES.accountCodeInvalid(code))
        continue
      }
      if (account.Status !== 'ACTIVE') {
        errors.push(XERO_MESSAGES.accountCodeArchived(account.Code))
        continue
      }
    }
    if (!options.allowDiscounts && (input.DiscountRate !== undefined || input.DiscountAmount !== undefined)) {
      errors.push(XERO_MESSAGES.discountsOnlyOnSales)
      continue
    }
    const taxType = options.amountTypes === 'NoTax' ? 'NONE' : (input.TaxType ?? account?.TaxType)
    const rate = taxType
      ? org.taxRates.find((r) => r.TaxType === taxType && r.Status === 'ACTIVE')
      : undefined
    if (taxType && !rate) {
      errors.push(XERO_MESSAGES.taxTypeUnknown(taxType))
      continue
    }
    if (rate && account && !rate[CAN_APPLY[account.Class]]) {
      errors.push(XERO_MESSAGES.taxTypeNotForAccount(rate.TaxType, account.Code))
      continue
    }
    const known = input.LineItemID && options.existing?.find((l) => l.LineItemID === input.LineItemID)
    const computed = computeLine(
      {
        ...input,
        ...(account ? { AccountCode: account.Code } : {}),
        ...(taxType ? { TaxType: taxType } : {}),
      },
      rate?.EffectiveRate ?? 0,
      options.amountTypes,
      options.unitdp,
    )
    lines.push({ LineItemID: known ? known.LineItemID : randomUUID(), ...computed })
  }
  return errors.length > 0 ? { errors } : { lines }
}
