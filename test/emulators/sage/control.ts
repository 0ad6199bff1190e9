import type { Clock } from '../common/clock.ts'
import type { Fault, FaultQueue, FaultRate } from '../common/faults.ts'
import type { LoggedRequest } from '../common/request-log.ts'
import { renderSettlement } from './api/render-settlement.ts'
import { recordSettlement } from './api/settlements.ts'
import { applySettlement } from './api/settle.ts'
import { applySettlementInputs } from './control-payment.ts'
import type { createThrottle } from './api/throttle.ts'
import type { SageState } from './state.ts'
import { stableId } from './seed.ts'
import type { Business, LedgerAccount } from './types.ts'

/** What a test (or the HTTP control API) can do to the emulator from outside the product's view. */
export interface SageControl {
  readonly clock: Clock
  advanceClock(ms: number): void
  /** The next `count` API calls (with `path`, the next whose path matches) meet the fault. */
  injectFault(fault: Fault, count?: number, path?: RegExp): void
  clearFaults(): void
  /** Random faults on the API (never the token endpoints), seeded: see `FaultRate`. */
  setFaultRate(rate: FaultRate | null): void
  faultsServed(): Record<string, number>
  /** The next `count` API calls (for one business, or any) answer 429. */
  forceThrottle(count: number, businessId?: string): void
  throttleRemaining(businessId: string): { minute: number; day: number }
  /** The user removes the app in Sage: refreshes of this grant now fail with invalid_grant. */
  revokeGrant(anyTokenOfTheGrant: string): boolean
  expireAccessTokens(): void
  /** A lapsed trial or cancelled subscription: the API answers 401 "No active subscription. (MSE)". */
  setSubscriptionActive(businessId: string, active: boolean): void
  setLeadBusiness(userId: string, businessId: string): void
  /** A payment entered in Sage by the bookkeeper (CUSTOMER_RECEIPT into the first bank account). */
  recordPayment(p: {
    businessId: string
    invoiceId: string
    amount?: number
    date?: string
    reference?: string
  }): Record<string, unknown>
  /**
   * The bookkeeper matches a receipt to a bank-feed line (or removes that match): while cleared,
   * the API refuses to delete it.
   */
  setPaymentCleared(businessId: string, paymentId: string, cleared: boolean): void
  /** The bookkeeper deletes a receipt in Sage (refused while it is cleared, as the API refuses it). */
  deletePayment(businessId: string, paymentId: string): void
  /**
   * The bookkeeper's chart changes (Settings > Chart of Accounts): a new ledger account, and "remove
   * from chart" / "include in chart", which the API shows as `included_in_chart` (no ledger account
   * is ever deleted, and one removed from the chart refuses postings).
   */
  addLedgerAccount(
    businessId: string,
    a: Pick<LedgerAccount, 'nominalCode' | 'name' | 'typeId' | 'typeName' | 'visibleInSales'>,
  ): LedgerAccount
  setIncludedInChart(businessId: string, nominalCode: number, included: boolean): void
  requests(): LoggedRequest[]
  clearRequests(): void
  business(businessId: string): Business
}

export function createControl(
  state: SageState,
  deps: {
    faults: FaultQueue
    throttle: ReturnType<typeof createThrottle>
    log: { entries: LoggedRequest[]; clear(): void }
  },
): SageControl {
  const business = (id: string) => {
    const b = state.businesses.get(id)
    if (!b) throw new Error(`no business ${id}`)
    return b
  }
  return {
    clock: state.clock,
    advanceClock: (ms) => state.clock.advance(ms),
    injectFault: (fault, count, path) => deps.faults.inject(fault, count, path),
    clearFaults: () => deps.faults.clear(),
    setFaultRate: (rate) => deps.faults.setRate(rate),
    faultsServed: () => deps.faults.served(),
    forceThrottle: (count, businessId) => deps.throttle.force(count, businessId),
    throttleRemaining: (businessId) => deps.throttle.remaining(businessId),
    revokeGrant: (token) => state.grants.revokeGrantOf(token),
    expireAccessTokens: () => state.grants.expireAccessTokens(),
    setSubscriptionActive: (id, active) => void (business(id).subscriptionActive = active),
    setLeadBusiness(userId, businessId) {
      const user = state.users.find((u) => u.id === userId)
      if (!user?.businessIds.includes(businessId)) throw new Error('the user has no access to that business')
      user.leadBusinessId = businessId
    },
    recordPayment(p) {
      const b = business(p.businessId)
      const now = state.clock.now()
      const settlement = recordSettlement(b, applySettlementInputs(b, p, now), now)
      return renderSettlement(b, settlement)
    },
    deletePayment(id, paymentId) {
      const b = business(id)
      const payment = b.settlements.get(paymentId)
      if (payment?.kind !== 'contact_payment' || payment.deletedAt !== null)
        throw new Error(`no contact payment ${paymentId}`)
      if (payment.cleared) throw new Error('a cleared payment cannot be deleted')
      const now = state.clock.now()
      payment.deletedAt = now
      applySettlement(b, payment, -1, now)
    },
    setPaymentCleared(id, paymentId, cleared) {
      const payment = business(id).settlements.get(paymentId)
      if (payment?.kind !== 'contact_payment' || payment.deletedAt !== null)
        throw new Error(`no contact payment ${paymentId}`)
      payment.cleared = cleared
    },
    addLedgerAccount(id, a) {
      const b = business(id)
      // Sage: nominal codes are unique within a business.
      if (b.ledgerAccounts.some((x) => x.nominalCode === a.nominalCode))
        throw new Error(`nominal code ${a.nominalCode} is already in use`)
      const account: LedgerAccount = {
        ...a,
        id: stableId(id, 'ledger', String(a.nominalCode)),
        includedInChart: true,
        isControlAccount: false,
        defaultTaxRateId: null,
      }
      b.ledgerAccounts.push(account)
      return account
    },
    setIncludedInChart(id, nominalCode, included) {
      const account = business(id).ledgerAccounts.find((x) => x.nominalCode === nominalCode)
      if (!account) throw new Error(`no ledger account ${nominalCode}`)
      if (account.isControlAccount) throw new Error('a control account cannot be removed from the chart')
      account.includedInChart = included
    },
    requests: () => [...deps.log.entries],
    clearRequests: () => deps.log.clear(),
    business,
  }
}
