import { Hono } from 'hono'
import { recordInvalid, recordNotFound } from '../errors.ts'
import { toMinor } from '../money.ts'
import type { SageState } from '../state.ts'
import type { Business, Settlement } from '../types.ts'
import { isoDate, newId } from '../wire.ts'
import type { ApiEnv } from './env.ts'
import { listPage } from './listing.ts'
import { bankAccount, customer, usableCurrency } from './lookups.ts'
import { checkParams, num, readRoot, str, throwIfProblems } from './params.ts'
import { renderSettlement } from './render-settlement.ts'
import { applySettlement, readAllocations } from './settle.ts'

type Kind = Settlement['kind']
const COLLECTION: Record<Kind, string> = {
  contact_payment: 'contact_payments',
  contact_allocation: 'contact_allocations',
}
/** The one transaction type each endpoint takes here; vendor payments and refunds are not emulated. */
const TRANSACTION_TYPE: Record<Kind, string> = {
  contact_payment: 'CUSTOMER_RECEIPT',
  contact_allocation: 'CUSTOMER_ALLOCATION',
}

/** Validates a create body into a settlement (not yet stored or applied). */
function readSettlement(
  business: Business,
  kind: Kind,
  body: Record<string, unknown>,
  now: number,
): Settlement {
  const isPayment = kind === 'contact_payment'
  throwIfProblems(
    checkParams(body, kind, {
      transaction_type_id: { kind: 'string', required: true },
      contact_id: { kind: 'string', required: true },
      date: { kind: 'date', required: isPayment },
      allocated_artefacts: { kind: 'array', required: !isPayment },
      ...(isPayment
        ? {
            bank_account_id: { kind: 'string', required: true },
            total_amount: { kind: 'number', required: true },
            currency_id: { kind: 'string' },
            exchange_rate: { kind: 'number' },
            reference: { kind: 'string' },
            payment_on_account: { kind: 'object' },
          }
        : {}),
    }),
  )
  if (body.transaction_type_id !== TRANSACTION_TYPE[kind]) throw recordNotFound()
  const contact = customer(business, str(body.contact_id)!)
  const allocations = readAllocations(
    business,
    contact.id,
    (body.allocated_artefacts as unknown[]) ?? [],
    `${kind}[allocated_artefacts]`,
  )
  const allocatedMinor = allocations.reduce((sum, a) => sum + a.amountMinor, 0)
  const base = {
    id: newId(),
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    kind,
    contactId: contact.id,
    allocations,
    cleared: false,
  }
  const currencies = new Set(allocations.map((a) => business.artefacts.get(a.artefactId)!.currencyId))
  if (!isPayment) {
    if (allocatedMinor !== 0)
      throw recordInvalid('The allocated amounts must balance to zero.', 'allocated_artefacts')
    // Amounts in two currencies cannot balance: Sage sets off documents of one currency only
    // (its wording for this refusal is not documented; the status and data code are its validation ones).
    if (currencies.size > 1)
      throw recordInvalid(
        'The currency must be the same for all the allocated transactions.',
        'allocated_artefacts',
      )
    const date = str(body.date) ?? isoDate(now)
    const common = { transactionTypeId: TRANSACTION_TYPE[kind], bankAccountId: null, date, totalMinor: 0 }
    const currencyId = [...currencies][0] ?? contact.currencyId
    return { ...base, ...common, currencyId, exchangeRate: 1, reference: null }
  }
  const bank = bankAccount(business, str(body.bank_account_id)!)
  const currency = usableCurrency(business, str(body.currency_id) ?? contact.currencyId)
  // A receipt settles documents in its own currency only (Sage converts at the bank, not here).
  if ([...currencies].some((id) => id !== currency.id))
    throw recordInvalid(
      'The currency must be the same as the currency of the allocated transactions.',
      'currency_id',
    )
  const totalMinor = toMinor(num(body.total_amount)!)
  if (totalMinor <= 0) throw recordInvalid('must be greater than 0', 'total_amount')
  const onAccount = body.payment_on_account !== undefined
  if (allocatedMinor > totalMinor || (allocatedMinor < totalMinor && !onAccount))
    throw recordInvalid(
      'The total amount must equal the allocated amounts plus any payment on account.',
      'total_amount',
    )
  return {
    ...base,
    transactionTypeId: TRANSACTION_TYPE[kind],
    bankAccountId: bank.id,
    date: str(body.date)!,
    totalMinor,
    currencyId: currency.id,
    exchangeRate: num(body.exchange_rate) ?? currency.perGbp,
    reference: str(body.reference) ?? null,
  }
}

/** Records a settlement and applies it to the documents it settles (shared with the control API). */
export function recordSettlement(business: Business, settlement: Settlement, now: number): Settlement {
  applySettlement(business, settlement, 1, now)
  business.settlements.set(settlement.id, settlement)
  return settlement
}

/** /contact_payments and /contact_allocations: create, read, list and delete (which reverses). */
export function createSettlementRoutes(state: SageState, kind: Kind) {
  const app = new Hono<ApiEnv>()
  const path = `/${COLLECTION[kind]}`
  const found = (business: Business, key: string) => {
    const s = business.settlements.get(key)
    if (!s || s.kind !== kind || s.deletedAt !== null) throw recordNotFound()
    return s
  }

  app.get(path, (c) => {
    const business = c.get('business')
    const q = c.req.query()
    const rows = [...business.settlements.values()].filter(
      (s) =>
        s.kind === kind &&
        (!q.contact_id || s.contactId === q.contact_id) &&
        (!q.bank_account_id || s.bankAccountId === q.bank_account_id) &&
        (!q.transaction_type_id || s.transactionTypeId === q.transaction_type_id),
    )
    return listPage(c, COLLECTION[kind], rows, (s) => renderSettlement(business, s))
  })

  app.get(`${path}/:key`, (c) =>
    c.json(renderSettlement(c.get('business'), found(c.get('business'), c.req.param('key')))),
  )

  app.post(path, async (c) => {
    const business = c.get('business')
    const body = await readRoot(c, kind)
    const settlement = recordSettlement(
      business,
      readSettlement(business, kind, body, state.clock.now()),
      state.clock.now(),
    )
    return c.json(renderSettlement(business, settlement), 201)
  })

  app.delete(`${path}/:key`, (c) => {
    const business = c.get('business')
    const settlement = found(business, c.req.param('key'))
    // Sage's wording for this refusal is not documented; the status and data code are its validation ones.
    if (settlement.cleared)
      throw recordInvalid(
        'This transaction has been cleared in the bank and cannot be deleted. Remove the cleared status first.',
        'base',
      )
    const now = state.clock.now()
    settlement.deletedAt = now
    applySettlement(business, settlement, -1, now)
    return c.body(null, 204)
  })

  return app
}
