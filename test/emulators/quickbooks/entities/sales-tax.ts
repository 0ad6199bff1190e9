import type { Company } from '../company/store.ts'
import { TAX_CODE_BY_STATE } from '../company/seed.ts'
import { percentCents } from './decimal.ts'
import { fromCents, isRecord, refValue, text, type Fields } from './context.ts'

/**
 * Automated sales tax as the emulator models it: the ship-to (else bill-to, else company) state picks a
 * combined TaxCode where the company has nexus; each component rate is applied to the net taxable
 * amount and rounded half-up to the cent; TotalTax is their sum. No nexus, or a non-taxable
 * customer, gives zero tax. (Real AST looks up rates by full address; the ratios hold.)
 */
export function computeSalesTax(
  company: Company,
  input: { taxableCents: number; address: unknown; customerTaxable: boolean },
): { detail: Fields; totalCents: number } {
  const state = isRecord(input.address) ? text(input.address.CountrySubDivisionCode ?? '') : ''
  const codeId = TAX_CODE_BY_STATE[state]
  const code = codeId ? company.get('TaxCode', codeId) : undefined
  if (!code || !input.customerTaxable || input.taxableCents === 0)
    return { detail: { TotalTax: 0 }, totalCents: 0 }
  const rates = ((code.SalesTaxRateList as Fields).TaxRateDetail as Fields[]).map((d) =>
    company.get('TaxRate', refValue(d.TaxRateRef)!),
  )
  const TaxLine = rates.map((rate) => {
    const percent = Number(rate!.RateValue)
    const cents = percentCents(input.taxableCents, rate!.RateValue)
    return {
      cents,
      line: {
        Amount: fromCents(cents),
        DetailType: 'TaxLineDetail',
        TaxLineDetail: {
          TaxRateRef: { value: rate!.Id },
          PercentBased: true,
          TaxPercent: percent,
          NetAmountTaxable: fromCents(input.taxableCents),
        },
      },
    }
  })
  const totalCents = TaxLine.reduce((s, t) => s + t.cents, 0)
  return {
    totalCents,
    detail: {
      TxnTaxCodeRef: { value: code.Id },
      TotalTax: fromCents(totalCents),
      TaxLine: TaxLine.map((t) => t.line),
    },
  }
}

/** The taxable/non-taxable codes a US AST company accepts on a line (6100 otherwise). */
export const US_LINE_TAX_CODES = new Set(['TAX', 'NON'])
