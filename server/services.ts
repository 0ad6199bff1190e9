import type { Config } from './config.ts'
import type { Db } from './db/client.ts'
import type { Logger } from './logging/logger.ts'
import { createApiKeys } from './auth/api-keys.ts'
import { createEmbedTokens } from './auth/embed-token.ts'
import { createIdentity } from './auth/identity.ts'
import { createLoginThrottle } from './auth/login-throttle.ts'
import { createSessions } from './auth/sessions.ts'
import { createCustomers } from './records/customers.ts'
import { createInvoices } from './records/invoices.ts'
import { createCreditNotes } from './records/credit-notes.ts'
import { createPayments } from './records/payments.ts'
import { pruneHistory } from './sync/history.ts'
import { createIdempotency } from './db/repos/idempotency-keys.ts'
import { createTokenCipher } from './crypto/token-cipher.ts'
import { createOAuthAttempts } from './auth/oauth-state.ts'
import { CHECK_JOB, createConnections, type ProviderLookup } from './connections/service.ts'
import { createProviderRegistry } from './providers/registry.ts'
import { createSyncEngine } from './sync/engine.ts'
import { createMappings } from './sync/mappings.ts'
import { createQueue } from './sync/queue.ts'
import { createPeriodicJobs } from './periodic.ts'
import { createFlowBack } from './sync/flow-back.ts'
import { createProviderEvents } from './sync/provider-events.ts'
import { createEventLog } from './events/log.ts'
import { createPolling, POLL_JOB, RECONCILE_JOB, type Polling } from './sync/polling.ts'

/** How often each kind of periodic work runs (each a job: see periodic.ts). */
export const PERIODIC_EVERY_MS = {
  sweep_expired: 10 * 60_000,
  keep_alive: 60 * 60_000,
  check_connections: 60_000,
  poll_connections: 60_000,
} as const

/** Everything a request handler may use, built once per app from the config, the database and a clock. */
export function createServices(deps: {
  config: Config
  db: Db
  log: Logger
  now?: () => number
  providers?: ProviderLookup
}) {
  const { config, db, log } = deps
  const now = deps.now ?? Date.now
  const sessions = createSessions({ db, ttlSeconds: config.sessionTtlSeconds, now })
  const embedTokens = createEmbedTokens({ db, secret: config.embedSecret, now })
  const throttle = createLoginThrottle({ db, now })
  const cipher = createTokenCipher(config.tokenKeys)
  const attempts = createOAuthAttempts({ db, cipher, now })
  const idempotency = createIdempotency({ db, now })
  const providers = deps.providers ?? createProviderRegistry(config.providers)
  const queue = createQueue({ db, now })
  const connections = createConnections({ db, cipher, providers, attempts, config, jobs: queue, log, now })
  const periodic = createPeriodicJobs({
    db,
    queue,
    log,
    now,
    work: [
      {
        kind: 'sweep_expired',
        everyMs: PERIODIC_EVERY_MS.sweep_expired,
        run: async () => ({
          sessions: await sessions.deleteExpired(),
          spentEmbedIds: await embedTokens.deleteExpired(),
          idempotencyKeys: await idempotency.deleteExpired(),
          oauthAttempts: await attempts.deleteExpired(),
          finishedJobs: await periodic.deleteFinished([CHECK_JOB, POLL_JOB, RECONCILE_JOB]),
          historyRuns: await pruneHistory(db, now()),
          events: await events.prune(),
        }),
      },
      {
        kind: 'keep_alive',
        everyMs: PERIODIC_EVERY_MS.keep_alive,
        run: async () => ({ refreshed: await connections.tokens.keepAlive() }),
      },
      {
        kind: 'check_connections',
        everyMs: PERIODIC_EVERY_MS.check_connections,
        run: async () => ({ queued: await connections.checks.enqueueDue() }),
      },
      {
        // The polling backstop's passes that are due (sync/polling.ts).
        kind: 'poll_connections',
        everyMs: PERIODIC_EVERY_MS.poll_connections,
        run: async () => ({ queued: await polling.enqueueDue() }),
      },
    ],
  })
  // Provider webhooks' events, stored once and applied from the queue (server/webhooks/).
  const providerEvents = createProviderEvents({
    db,
    queue,
    log,
    now,
    apply: (connection, events) => flowBack(connection, events),
  })
  const sync = createSyncEngine({
    db,
    connections,
    providers,
    log,
    now,
    workerDefaults: config.worker,
    timeScale: config.rateLimitTimeScale,
    queue,
    otherJobs: {
      ...periodic.handlers,
      ...providerEvents.handlers,
      // Bound once the engine's provider calls exist (below).
      [POLL_JOB]: (ctx) => polling.handlers[POLL_JOB](ctx),
      [RECONCILE_JOB]: (ctx) => polling.handlers[RECONCILE_JOB](ctx),
      [CHECK_JOB]: (ctx) => connections.checks.run(ctx.job.connectionId!),
    },
  })
  const payments = createPayments({
    db,
    now,
    outbox: {
      paymentChanged: (tx, tenant, payment) => sync.paymentChanged(tx, tenant, payment),
      committed: () => sync.committed(),
    },
  })
  const events = createEventLog({ db, now })
  const flowBack = createFlowBack({ db, providers, calls: sync.calls, payments, log, now })
  const polling: Polling = createPolling({
    db,
    queue,
    providers,
    calls: sync.calls,
    events: providerEvents,
    log,
    now,
    webhooks: (provider) => provider !== 'sage' && config.webhookKeys[provider] !== null,
  })
  return {
    providers,
    attempts,
    connections,
    periodic,
    sync,
    providerEvents,
    polling,
    /** What happened, for the host's webhooks and the widget's stream (events/). */
    events,
    mappings: createMappings({ db, providers, calls: sync.calls, now }),
    config,
    db,
    log,
    now,
    sessions,
    embedTokens,
    apiKeys: createApiKeys({ db, now }),
    identity: createIdentity({ db, sessions, embedTokens, throttle, now }),
    idempotency,
    customers: createCustomers({
      db,
      now,
      outbox: {
        customerChanged: (tx, tenant, customer) => sync.customerChanged(tx, tenant, customer),
        committed: () => sync.committed(),
      },
    }),
    invoices: createInvoices({
      db,
      now,
      outbox: {
        invoiceSent: (tx, tenant, invoice) => sync.invoiceSent(tx, tenant, invoice),
        committed: () => sync.queue.notify(),
      },
    }),
    creditNotes: createCreditNotes({
      db,
      now,
      outbox: {
        creditNoteChanged: (tx, tenant, note) => sync.creditNoteChanged(tx, tenant, note),
        committed: () => sync.committed(),
      },
    }),
    payments,
  }
}

export type Services = ReturnType<typeof createServices>
