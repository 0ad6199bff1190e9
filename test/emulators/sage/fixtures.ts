import { SAGE_DEMO_IDS, type SageEmulator } from './index.ts'

/** Ids tests need from the seeded businesses, read through the control object. */
export function seedIds(emu: SageEmulator, businessId: string = SAGE_DEMO_IDS.hartley) {
  const business = emu.control.business(businessId)
  const ledger = (code: number) => business.ledgerAccounts.find((a) => a.nominalCode === code)!.id
  const contact = (reference: string) =>
    [...business.contacts.values()].find((c) => c.reference === reference)!.id
  return { ledger, contact, bank: business.bankAccounts[0]!.id }
}

/** One 20% VAT line: 2 × 50.00 net, 20.00 VAT. */
export const standardLine = (ledgerAccountId: string, extra: Record<string, unknown> = {}) => ({
  description: 'Consulting',
  ledger_account_id: ledgerAccountId,
  quantity: 2,
  unit_price: 50,
  tax_rate_id: 'GB_STANDARD',
  tax_amount: 20,
  ...extra,
})
