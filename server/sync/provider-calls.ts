import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import type { Connections, ProviderLookup } from '../connections/service.ts'
import { AppError } from '../errors.ts'
import { toOrganisation, type ConnectionRow } from '../connections/token-store.ts'
import { withRequestMeter, type RequestCost } from '../providers/provider-http.ts'
import { ProviderError, type ProviderAdapter } from '../providers/provider.ts'
import type { ProviderAuth } from '../providers/sync-contract.ts'
import type { Permit, RateLimiter } from './rate-limit.ts'

/** A provider's adapter with its sync half, or the error that says sync to it is not there yet. */
export function syncAdapterOf(providers: ProviderLookup, provider: ProviderId) {
  const adapter = providers.get(provider)
  if (!adapter?.sync)
    throw new AppError('provider_error', {
      message: `Sync to ${PROVIDERS[provider].name} is not available yet.`,
    })
  return { adapter, sync: adapter.sync }
}

/** Waits this short are waited out in the job; longer ones reschedule it (without spending an attempt). */
const WAIT_IN_JOB_MS = 1000

/**
 * Every provider call the engine makes: room under the organisation's limits first, then a fresh
 * token (refreshed once on a 401), and the provider's own error back to the engine. A 429 pauses
 * only this organisation, for at least its Retry-After, in every process.
 */
export function createProviderCalls(deps: {
  tokens: Connections['tokens']
  limiter: RateLimiter
  now: () => number
  sleep?: (ms: number) => Promise<void>
}) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  let calls = 0
  /** Our own waits for room (not the provider's 429s): they pause nothing. */
  const waits = new WeakSet<ProviderError>()
  return {
    /** How many provider requests this process sent (the benchmarks read it). */
    count: () => calls,
    async call<T>(
      connection: ConnectionRow,
      adapter: ProviderAdapter,
      work: (auth: ProviderAuth) => Promise<T>,
      /** `share`: background work's part of the limits (rate-limit.ts `acquire`). */
      options: { share?: number } = {},
    ): Promise<T> {
      const key = `${connection.provider}:${connection.organisation_id}`
      const { limits } = adapter.facts
      const share = options.share === undefined ? {} : { share: options.share }
      /** Room under the limits now, or within a short wait; longer waits reschedule the job. */
      const room = async (options: { cost: number; batch: boolean; holding?: Permit }) => {
        for (;;) {
          const got = await deps.limiter.acquire(key, limits, { ...options, ...share })
          if (got.ok) return got.permit
          if (got.waitMs > WAIT_IN_JOB_MS) {
            const wait = new ProviderError(
              adapter.id,
              'rate_limited',
              `Waiting for room under the ${got.reason} limit`,
              { retryAfterMs: got.waitMs },
            )
            waits.add(wait)
            throw wait
          }
          await sleep(Math.max(got.waitMs, 5))
        }
      }
      // A slot to be in flight and room for one plain call, before anything is sent: a full window
      // reschedules the job at once. Each request then takes what it costs beyond that (a batch
      // whose items the provider meters as calls), before it is sent.
      const permit = await room({ cost: 1, batch: false })
      let sent = 0
      const meter = async (request: RequestCost) => {
        const cost = limits.batchItemsMetered ? request.cost : 1
        const batch = request.batch && limits.batchesPerMinute !== null
        const owed = sent++ === 0 ? cost - 1 : cost
        if (owed > 0 || batch) await room({ cost: owed, batch, holding: permit })
        calls++
      }
      try {
        return await deps.tokens.withAccessToken(
          connection.id,
          (accessToken) =>
            withRequestMeter(meter, () => work({ accessToken, organisation: toOrganisation(connection) })),
          { keepProviderError: true },
        )
      } catch (err) {
        // The provider's 429, not our own wait for room under its limits.
        if (err instanceof ProviderError && err.kind === 'rate_limited' && !waits.has(err)) {
          // Retry-After is in the provider's time: an emulator's runs faster under a time scale.
          const wait = (err.retryAfterMs ?? 60_000) * deps.limiter.timeScale
          await deps.limiter.pause(key, deps.now() + wait, err.message)
          if (deps.limiter.timeScale !== 1)
            throw new ProviderError(err.provider, err.kind, err.message, {
              status: err.status,
              correlationId: err.correlationId,
              retryAfterMs: wait,
            })
        }
        throw err
      } finally {
        // Every request's calls take this answer's time.
        await permit.release()
      }
    },
  }
}

export type ProviderCalls = ReturnType<typeof createProviderCalls>
