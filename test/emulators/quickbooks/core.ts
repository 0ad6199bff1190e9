import { createClock, type Clock } from '../common/clock.ts'
import { createFaultQueue, type FaultQueue } from '../common/faults.ts'
import { createConcurrencyGauge, createWindowCounter } from '../common/rate-limit.ts'
import { createRequestLog } from '../common/request-log.ts'
import { seedUsCompany } from './company/seed.ts'
import { createCompany, type Company } from './company/store.ts'
import type { FaultItem } from './errors.ts'
import { QBO } from './facts.ts'
import { createGrantStore, type GrantStore } from './oauth/grants.ts'
import { createIdTokenSigner, type IdTokenSigner } from './oauth/id-token.ts'
import {
  assertRedirectUris,
  DEFAULT_CLIENT,
  DEFAULT_COMPANY,
  DEFAULT_USER,
  type QboClientApp,
  type QboUser,
  type QuickBooksEmulatorOptions,
} from './options.ts'
import { createWebhookSender, type WebhookSender } from './webhooks/sender.ts'
import { loadQboSchema, type XsdSchema } from './xsd/schema.ts'

/** A fault the control API scripts for the next API calls, e.g. a Fault inside HTTP 200 (QB-P15). */
export interface ScriptedFault {
  status: number
  error: FaultItem
  type?: string
}

/** Everything one emulator instance holds; routes and the control API share it. */
export interface QboCore {
  clock: Clock
  schema: XsdSchema
  companies: Map<string, Company>
  users: QboUser[]
  clients: QboClientApp[]
  grants: GrantStore
  signer: IdTokenSigner
  paths: Record<keyof typeof QBO.paths, string>
  limits: {
    minute: ReturnType<typeof createWindowCounter>
    batches: ReturnType<typeof createWindowCounter>
    concurrency: ReturnType<typeof createConcurrencyGauge>
    batchItems: number
    forced: Map<string, number> // realm → 429s still to serve
  }
  apiFaults: FaultQueue
  oauthFaults: FaultQueue
  scripted: ScriptedFault[]
  /** While set, admitted API calls wait on it: lets a test hold calls in flight to probe concurrency. */
  gate: Promise<void> | null
  /** requestid replay cache per company: the original status and body (2.5). */
  replies: Map<string, { status: number; body: string }>
  log: ReturnType<typeof createRequestLog>
  webhooks: WebhookSender
}

export function realmOfPath(pathname: string): string | null {
  return /^\/v3\/company\/([^/]+)/.exec(pathname)?.[1] ?? null
}

export async function createQboCore(options: QuickBooksEmulatorOptions = {}): Promise<QboCore> {
  const clock = options.clock ?? createClock({ scale: options.scale ?? 1 })
  const clients = options.clients ?? [DEFAULT_CLIENT]
  clients.forEach(assertRedirectUris)
  const companies = new Map<string, Company>()
  const seeds = options.companies ?? [{}]
  seeds.forEach((partial, i) => {
    const seed = {
      ...DEFAULT_COMPANY,
      ...(i > 0 ? { realmId: `${DEFAULT_COMPANY.realmId.slice(0, -2)}${String(10 + i)}` } : {}),
      ...partial,
    }
    const company = createCompany(clock, seed)
    seedUsCompany(company, seed)
    companies.set(seed.realmId, company)
  })
  const limits = { ...QBO.limits, ...options.limits }
  const webhooks = createWebhookSender(clock, options.webhooks ?? null)
  for (const company of companies.values())
    company.onChange((c) =>
      webhooks.enqueue({
        realmId: company.realmId,
        entity: c.type,
        id: c.id,
        operation: c.operation,
        at: c.at,
      }),
    )
  const grants = createGrantStore(clock)
  if (options.refreshRotation) grants.setRotation(options.refreshRotation)
  return {
    clock,
    schema: loadQboSchema(),
    companies,
    users: options.users ?? [DEFAULT_USER],
    clients,
    grants,
    signer: await createIdTokenSigner(),
    paths: { ...QBO.paths, ...options.paths },
    limits: {
      minute: createWindowCounter(clock, 60_000, limits.perMinute),
      batches: createWindowCounter(clock, 60_000, limits.batchPerMinute),
      concurrency: createConcurrencyGauge(limits.concurrent),
      batchItems: limits.batchItems,
      forced: new Map(),
    },
    apiFaults: createFaultQueue(),
    oauthFaults: createFaultQueue(),
    scripted: [],
    gate: null,
    replies: new Map(),
    log: createRequestLog(
      (req) => realmOfPath(new URL(req.url).pathname),
      () => clock.now(),
    ),
    webhooks,
  }
}
