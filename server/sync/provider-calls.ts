import { PROVIDERS, type ProviderId } from '../../shared/providers.ts'
import type { Connections, ProviderLookup } from '../connections/service.ts'
import { AppError } from '../errors.ts'
import { toOrganisation, type ConnectionRow } from '../connections/token-store.ts'
import { ProviderError, type ProviderAdapter } from '../providers/provider.ts'
import type { ProviderAuth } from '../providers/sync-contract.ts'
import type { RateLimiter } from './rate-limit.ts'

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
  return {
    /** How many provider calls this process made (the benchmarks read it). */
    count: () => calls,
    async call<T>(
      connection: ConnectionRow,
      adapter: ProviderAdapter,
      /** `cost`: the records the request carries; metered one each only where the provider counts them so. */
      options: { cost?: number; batch?: boolean },
      work: (auth: ProviderAuth) => Promise<T>,
    ): Promise<T> {
      const key = `${connection.provider}:${connection.organisation_id}`
      const { limits } = adapter.facts
      const metered = {
        cost: limits.batchItemsMetered ? (options.cost ?? 1) : 1,
        batch: options.batch ?? false,
      }
      for (;;) {
        const room = await deps.limiter.acquire(key, limits, metered)
        if (!room.ok) {
          if (room.waitMs > WAIT_IN_JOB_MS)
            throw new ProviderError(
              adapter.id,
              'rate_limited',
              `Waiting for room under the ${room.reason} limit`,
              {
                retryAfterMs: room.waitMs,
              },
            )
          await sleep(Math.max(room.waitMs, 5))
          continue
        }
        try {
          calls++
          return await deps.tokens.withAccessToken(
            connection.id,
            (accessToken) => work({ accessToken, organisation: toOrganisation(connection) }),
            { keepProviderError: true },
          )
        } catch (err) {
          if (err instanceof ProviderError && err.kind === 'rate_limited')
            await deps.limiter.pause(key, deps.now() + (err.retryAfterMs ?? 60_000), err.message)
          throw err
        } finally {
          await room.permit.release()
        }
      }
    },
  }
}

export type ProviderCalls = ReturnType<typeof createProviderCalls>
