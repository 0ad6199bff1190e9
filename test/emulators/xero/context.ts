import type { Clock } from '../common/clock.ts'
import { createClock } from '../common/clock.ts'
import type { FaultQueue } from '../common/faults.ts'
import { createFaultQueue } from '../common/faults.ts'
import { createRequestLog } from '../common/request-log.ts'
import { createRateLimiter } from './api/rate-limit.ts'
import type { RateLimits } from './api/rate-limit.ts'
import { createIdempotencyCache } from './api/idempotency.ts'
import type { OAuthClient, XeroUser } from './identity/clients.ts'
import { DEMO_CLIENT, DEMO_USER } from './identity/clients.ts'
import { createSigner } from './identity/keys.ts'
import type { Signer } from './identity/keys.ts'
import { createIdentityStore } from './identity/store.ts'
import type { IdentityStore } from './identity/store.ts'
import { createTokenMinter } from './identity/tokens.ts'
import type { TokenMinter } from './identity/tokens.ts'
import type { OrganisationStore } from './model.ts'
import { createOrganisationStore, DEMO_ORGANISATIONS } from './seed/organisations.ts'
import type { OrganisationSeed } from './seed/organisations.ts'
import { createWebhookSender } from './webhooks/sender.ts'
import type { WebhookSender } from './webhooks/sender.ts'

export interface XeroEmulatorOptions {
  /** Default 0: a free loopback port. */
  port?: number
  hostname?: string
  /** A shared clock; otherwise one is made with `scale`. */
  clock?: Clock
  /** Virtual time runs this many times faster than real time (default 1). */
  scale?: number
  limits?: Partial<RateLimits>
  /** The apps allowed to connect (default: the demo client). */
  clients?: OAuthClient[]
  /** The organisations the user can consent to (default: UK VAT, US and AU GST companies). */
  organisations?: OrganisationSeed[]
  user?: XeroUser
  /** Send webhook events as they happen (the demo); tests call `control.webhooks.flush()` instead. */
  webhookAutoDeliver?: boolean
}

/** Everything the routes share; built once per emulator. */
export interface XeroContext {
  clock: Clock
  signer: Signer
  identity: IdentityStore
  mint: TokenMinter
  clients: OAuthClient[]
  user: XeroUser
  organisations: Map<string, OrganisationStore>
  issuer(): string
  setIssuer(url: string): void
  faults: FaultQueue
  log: ReturnType<typeof createRequestLog>
  limiter: ReturnType<typeof createRateLimiter>
  idempotency: ReturnType<typeof createIdempotencyCache>
  webhooks: WebhookSender
  tokenResponsesToDrop: { count: number }
}

export function createXeroContext(options: XeroEmulatorOptions = {}): XeroContext {
  const clock = options.clock ?? createClock({ scale: options.scale ?? 1 })
  const user = options.user ?? DEMO_USER
  const signer = createSigner()
  const identity = createIdentityStore(clock)
  let issuer = 'http://127.0.0.1'
  const organisations = new Map<string, OrganisationStore>()
  for (const seed of options.organisations ?? DEMO_ORGANISATIONS) {
    organisations.set(seed.profile.OrganisationID, createOrganisationStore(seed, clock.now()))
  }
  return {
    clock,
    signer,
    identity,
    mint: createTokenMinter({ clock, signer, store: identity, issuer: () => issuer, user: () => user }),
    clients: options.clients ?? [DEMO_CLIENT],
    user,
    organisations,
    issuer: () => issuer,
    setIssuer: (url) => void (issuer = url.replace(/\/$/, '')),
    faults: createFaultQueue(),
    log: createRequestLog(
      (req) => req.headers.get('xero-tenant-id'),
      () => clock.now(),
    ),
    limiter: createRateLimiter(clock, options.limits),
    idempotency: createIdempotencyCache(clock),
    webhooks: createWebhookSender({
      clock,
      baseUrl: () => issuer,
      autoDeliver: options.webhookAutoDeliver ?? false,
    }),
    tokenResponsesToDrop: { count: 0 },
  }
}
