import type { EntityType, QboEntity } from '../company/store.ts'
import type { Fields, WriteContext } from './context.ts'
import { buildAccount, buildCustomer, buildItem } from './lists.ts'
import { buildPayment } from './payment.ts'
import { buildSalesForm } from './sales-form.ts'

export interface EntityKind {
  type: EntityType
  /** Absent for read-only entities (tax codes and rates are managed by AST, not the API). */
  build?: (ctx: WriteContext, input: Fields, existing?: QboEntity) => Fields
  deletable: boolean
  voidable: boolean
  /** Transactions move balances, so the customer is settled after each write. */
  transaction: boolean
}

/** The URL segment (`/v3/company/{realm}/invoice`) of each entity the emulator serves. */
export const ENTITY_KINDS: Record<string, EntityKind> = {
  customer: { type: 'Customer', build: buildCustomer, deletable: false, voidable: false, transaction: false },
  item: { type: 'Item', build: buildItem, deletable: false, voidable: false, transaction: false },
  account: { type: 'Account', build: buildAccount, deletable: false, voidable: false, transaction: false },
  invoice: {
    type: 'Invoice',
    build: (ctx, input, existing) => buildSalesForm('Invoice', ctx, input, existing),
    deletable: true,
    voidable: true,
    transaction: true,
  },
  creditmemo: {
    type: 'CreditMemo',
    build: (ctx, input, existing) => buildSalesForm('CreditMemo', ctx, input, existing),
    deletable: true,
    voidable: false,
    transaction: true,
  },
  payment: { type: 'Payment', build: buildPayment, deletable: true, voidable: true, transaction: true },
  taxcode: { type: 'TaxCode', deletable: false, voidable: false, transaction: false },
  taxrate: { type: 'TaxRate', deletable: false, voidable: false, transaction: false },
  taxagency: { type: 'TaxAgency', deletable: false, voidable: false, transaction: false },
  term: { type: 'Term', deletable: false, voidable: false, transaction: false },
  companycurrency: { type: 'CompanyCurrency', deletable: false, voidable: false, transaction: false },
  companyinfo: { type: 'CompanyInfo', deletable: false, voidable: false, transaction: false },
  preferences: { type: 'Preferences', deletable: false, voidable: false, transaction: false },
}

export function kindOf(segment: string): EntityKind | undefined {
  return ENTITY_KINDS[segment.toLowerCase()]
}

export function kindOfType(type: string): EntityKind | undefined {
  return Object.values(ENTITY_KINDS).find((k) => k.type === type)
}
