import type { Fault, FaultRate } from '../common/faults.ts'
import type { LoggedRequest } from '../common/request-log.ts'
import type { Company, QboEntity } from './company/store.ts'
import type { QboCore, ScriptedFault } from './core.ts'
import type { Fields } from './entities/context.ts'
import { kindOf } from './entities/registry.ts'
import { writeEntity } from './entities/write.ts'
import type { RotationPolicy } from './oauth/grants.ts'
import type { QboUser, QboWebhookConfig } from './options.ts'

/** Test-only powers over one emulator; the HTTP control API under /__control/ calls the same functions. */
export function createControl(core: QboCore, settings: { lowercaseAuthFault: boolean }) {
  const company = (realmId?: string): Company => {
    const c = realmId ? core.companies.get(realmId) : core.companies.values().next().value
    if (!c) throw new Error(`no company ${realmId ?? ''}`)
    return c
  }
  const write = (
    realmId: string | undefined,
    entity: string,
    body: Fields,
    operation?: string,
  ): QboEntity => {
    const kind = kindOf(entity)
    if (!kind) throw new Error(`unknown entity ${entity}`)
    const ctx = {
      company: company(realmId),
      now: core.clock.now(),
      include: new Set<string>(),
      invisible: new Set<string>(),
    }
    return writeEntity(core.schema, kind, ctx, body, operation)
  }
  return {
    company,
    realmIds: () => [...core.companies.keys()],
    clock: { now: () => core.clock.now(), advance: (ms: number) => core.clock.advance(ms) },
    /** Next `count` calls to the accounting API (or to the token/revoke endpoints) fail this way. */
    injectFault(fault: Fault, count = 1, target: 'api' | 'oauth' = 'api', path?: RegExp) {
      ;(target === 'api' ? core.apiFaults : core.oauthFaults).inject(fault, count, path)
    },
    /** Random faults on the accounting API (never OAuth), seeded: see `FaultRate`. */
    setFaultRate: (rate: FaultRate | null) => core.apiFaults.setRate(rate),
    faultsServed: () => core.apiFaults.served(),
    clearFaults() {
      core.apiFaults.clear()
      core.oauthFaults.clear()
      core.scripted.length = 0
    },
    /** Next `count` API calls for the company answer 429 Fault 3001. */
    forceThrottle(realmId: string, count = 1) {
      core.limits.forced.set(realmId, (core.limits.forced.get(realmId) ?? 0) + count)
    },
    /** Next `count` API calls answer this Fault with this status, e.g. a Fault inside HTTP 200 (QB-P15). */
    failNext(fault: ScriptedFault, count = 1) {
      for (let i = 0; i < count; i++) core.scripted.push(fault)
    },
    peakConcurrency: (realmId: string) => core.limits.concurrency.peak(realmId),
    /** Holds admitted API calls in flight until the returned function is called. */
    holdApiCalls(): () => void {
      let release!: () => void
      core.gate = new Promise<void>((resolve) => (release = resolve))
      return () => {
        core.gate = null
        release()
      }
    },
    /**
     * "My Apps → Disconnect" inside QuickBooks (E-Q3): every grant for the company is revoked and the
     * browser would be sent to the app's Disconnect URL with the realmId.
     */
    disconnectFromQuickBooks(realmId: string, clientId?: string) {
      const revoked = core.grants.revokeRealm(realmId)
      const app = core.clients.find((c) => !clientId || c.clientId === clientId)
      const url = app?.disconnectUrl ? new URL(app.disconnectUrl) : null
      url?.searchParams.set('realmId', realmId)
      return { revoked, navigateTo: url?.toString() ?? null }
    },
    expireTokens(kind: 'access' | 'refresh', realmId?: string) {
      if (kind === 'access') core.grants.expireAccessTokens(realmId)
      else core.grants.expireRefreshTokens(realmId)
    },
    setRefreshRotation: (policy: Partial<RotationPolicy>) => core.grants.setRotation(policy),
    setRefreshHardExpiry: (realmId: string, inMs: number) => core.grants.setHardExpiry(realmId, inMs),
    grants: () => core.grants.grants(),
    /** Closes the books up to and including `date` (6210 for earlier transactions); null reopens them. */
    setBookCloseDate(realmId: string, date: string | null) {
      const prefs = company(realmId).preferences()
      const info = prefs.AccountingInfoPrefs as Fields
      if (date === null) delete info.BookCloseDate
      else info.BookCloseDate = date
    },
    setMulticurrency(realmId: string, enabled: boolean) {
      const c = company(realmId)
      ;(c.preferences().CurrencyPrefs as Fields).MultiCurrencyEnabled = enabled
      for (const cur of c.list('CompanyCurrency')) if (cur.Code === 'EUR') cur.Active = enabled
    },
    setLowercaseAuthFaults(on: boolean) {
      settings.lowercaseAuthFault = on
    },
    addUser: (user: QboUser) => void core.users.push(user),
    /** Creates or changes data as a QuickBooks user would, with the same rules as the API. */
    write,
    /** A customer payment entered in QuickBooks against one invoice (the full balance unless `amount`). */
    recordPayment(p: { realmId?: string; invoiceId: string; amount?: number; depositToAccountId?: string }) {
      const invoice = company(p.realmId).get('Invoice', p.invoiceId)
      if (!invoice) throw new Error(`no invoice ${p.invoiceId}`)
      const amount = p.amount ?? Number(invoice.Balance)
      return write(p.realmId, 'payment', {
        CustomerRef: { value: (invoice.CustomerRef as Fields).value },
        TotalAmt: amount,
        ...(p.depositToAccountId ? { DepositToAccountRef: { value: p.depositToAccountId } } : {}),
        Line: [{ Amount: amount, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }],
      })
    },
    requests: (realmId?: string): LoggedRequest[] =>
      core.log.entries.filter((e) => realmId === undefined || e.organisation === realmId),
    clearRequests: () => core.log.clear(),
    webhooks: {
      configure: (config: QboWebhookConfig | null) => core.webhooks.configure(config),
      flush: () => core.webhooks.flush(),
      deliveries: () => core.webhooks.deliveries(),
      sendRaw: (body: string, signature?: string) => core.webhooks.sendRaw(body, signature),
      redeliver: (id: number) => core.webhooks.redeliver(id),
    },
  }
}
export type QuickBooksControl = ReturnType<typeof createControl>
