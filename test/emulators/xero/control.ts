import type { Fault, FaultRate } from '../common/faults.ts'
import type { LoggedRequest } from '../common/request-log.ts'
import type { XeroContext } from './context.ts'
import type { RateLimitProblem } from './api/rate-limit.ts'
import type { DomainDeps, EventCategory } from './domain/deps.ts'
import type { PaymentInput } from './domain/payments.ts'
import { applyPayment, deletePayment } from './domain/payments.ts'
import { createXeroChartControl } from './control-chart.ts'
import type { InvoiceRecord, OrganisationStore, PaymentRecord } from './model.ts'

/**
 * The test-only powers over the emulated Xero (issue 4, "control API"). The HTTP control API under
 * `/__control/` calls these same functions.
 */
export function createXeroControl(ctx: XeroContext) {
  const org = (tenantId: string): OrganisationStore => {
    const found = ctx.organisations.get(tenantId)
    if (!found) throw new Error(`unknown tenant ${tenantId}`)
    return found
  }
  const clientId = (id?: string) => id ?? ctx.clients[0]!.clientId
  /** What a change a bookkeeper makes in Xero goes through: the organisation, the clock, its webhooks. */
  const domain = (tenantId: string): DomainDeps => ({
    org: org(tenantId),
    now: ctx.clock.now(),
    emit: (category, type, resourceId, data) =>
      ctx.webhooks.record({
        tenantId,
        category,
        type,
        resourceId,
        at: ctx.clock.now(),
        ...(data ? { data } : {}),
      }),
  })

  return {
    clock: ctx.clock,
    /** The next `count` calls to any API (identity or accounting) answer with the fault. */
    injectFault(fault: Fault, count = 1, path?: RegExp) {
      ctx.faults.inject(fault, count, path)
    },
    clearFaults: () => ctx.faults.clear(),
    /** Random faults on the accounting API (never identity), seeded: see `FaultRate`. */
    setFaultRate: (rate: FaultRate | null) => ctx.faults.setRate(rate),
    faultsServed: () => ctx.faults.served(),
    /** The next `count` accounting calls for the tenant answer 429 with this problem. */
    force429(
      tenantId: string,
      problem: RateLimitProblem = 'minute',
      opts: { retryAfterSeconds?: number; count?: number; clientId?: string } = {},
    ) {
      ctx.limiter.force(
        clientId(opts.clientId),
        tenantId,
        problem,
        opts.retryAfterSeconds ?? 60,
        opts.count ?? 1,
      )
    },
    /** Highest number of simultaneous calls seen for the tenant (CERTIFICATION XR-R01). */
    peakConcurrency: (tenantId: string, id?: string) => ctx.limiter.peakConcurrency(clientId(id), tenantId),
    /** Xero-side disconnect of one tenant (E-X4): refresh still works, calls for it answer 403. */
    disconnectTenant(tenantId: string): number {
      const doomed = ctx.identity.connections.filter((c) => c.tenantId === tenantId)
      for (const c of doomed) ctx.identity.disconnect(c.id)
      return doomed.length
    },
    /** Revoke every grant (E-X4 variant): refresh answers invalid_grant and connections go. */
    revokeAllGrants() {
      for (const grant of ctx.identity.grants.values()) ctx.identity.revokeGrant(grant.grantId)
    },
    expireAccessTokens: () => ctx.identity.expireAccessTokens(),
    /** The next `count` token answers are issued but never delivered (E-X2 lost response). */
    dropTokenResponses(count = 1) {
      ctx.tokenResponsesToDrop.count += count
    },
    advanceClock: (ms: number) => ctx.clock.advance(ms),
    /** A payment entered by a bookkeeper in Xero itself (default: the full amount due, to the bank account). */
    payInvoice(tenantId: string, invoiceId: string, input: Partial<PaymentInput> = {}): PaymentRecord {
      const store = org(tenantId)
      const invoice = store.invoices.get(invoiceId)
      if (!invoice) throw new Error(`unknown invoice ${invoiceId}`)
      const bank = store.accounts.find((a) => a.Type === 'BANK')!
      const outcome = applyPayment(domain(tenantId), {
        Invoice: { InvoiceID: invoiceId },
        Account: { Code: bank.Code },
        Amount: invoice.AmountDue,
        ...input,
      })
      if ('errors' in outcome) throw new Error(outcome.errors.join('; '))
      return outcome.ok
    },
    /** A bookkeeper removing a payment in Xero (the same rules as `POST /Payments/{id}` DELETED). */
    deletePayment(tenantId: string, paymentId: string): PaymentRecord {
      const payment = org(tenantId).payments.get(paymentId)
      if (!payment) throw new Error(`unknown payment ${paymentId}`)
      const outcome = deletePayment(domain(tenantId), payment)
      if ('errors' in outcome) throw new Error(outcome.errors.join('; '))
      return outcome.ok
    },
    /** A bookkeeper reconciling the payment against a bank statement line in Xero. */
    reconcilePayment(tenantId: string, paymentId: string): PaymentRecord {
      const payment = org(tenantId).payments.get(paymentId)
      if (!payment) throw new Error(`unknown payment ${paymentId}`)
      payment.IsReconciled = true
      payment.UpdatedDateUTC = ctx.clock.now()
      return payment
    },
    /** The chart as a bookkeeper changes it in Xero (control-chart.ts). */
    ...createXeroChartControl(org, () => ctx.clock.now()),
    renameOrganisation(tenantId: string, name: string) {
      org(tenantId).profile.Name = name
    },
    organisation: org,
    invoices: (tenantId: string): InvoiceRecord[] => [...org(tenantId).invoices.values()],
    connections: () => ctx.identity.connections.slice(),
    requests: (): LoggedRequest[] => ctx.log.entries.slice(),
    clearRequests: () => ctx.log.clear(),
    webhooks: {
      subscribe: (s: { url: string; key: string; categories?: EventCategory[] }) => ctx.webhooks.subscribe(s),
      intentToReceive: (rounds?: number) => ctx.webhooks.intentToReceive(rounds),
      flush: () => ctx.webhooks.flush(),
      pending: () => ctx.webhooks.pending(),
      deliveries: () => ctx.webhooks.deliveries(),
      subscription: () => ctx.webhooks.subscription(),
    },
  }
}

export type XeroControl = ReturnType<typeof createXeroControl>
