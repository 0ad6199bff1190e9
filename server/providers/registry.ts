import type { ProviderId } from '../../shared/providers.ts'
import { PROVIDER_IDS } from '../../shared/providers.ts'
import type { Config } from '../config.ts'
import { insideTransaction, TransactionMisuse } from '../transaction-scope.ts'
import type { ProviderAdapter } from './provider.ts'
import type { HttpOptions } from './provider-http.ts'
import { createQuickBooksAdapter } from './quickbooks/adapter.ts'
import { createSageAdapter } from './sage/adapter.ts'
import { createXeroAdapter } from './xero/adapter.ts'

type ProvidersConfig = Config['providers']

/** One line per provider: a new provider is one folder and one line here (STYLE.md). */
const FACTORIES: { [K in ProviderId]: (c: ProvidersConfig[K], http: HttpOptions) => ProviderAdapter | null } =
  {
    xero: (c, http) => c.credentials && createXeroAdapter({ ...c.credentials, urls: c.urls, ...http }),
    quickbooks: (c, http) =>
      c.credentials && createQuickBooksAdapter({ ...c.credentials, urls: c.urls, ...http }),
    sage: (c, http) => c.credentials && createSageAdapter({ ...c.credentials, urls: c.urls, ...http }),
  }

export interface ProviderRegistry {
  /** The adapter, or undefined when the provider has no credentials on this server. */
  get(id: ProviderId): ProviderAdapter | undefined
  /** The configured adapters, in PROVIDER_IDS order. */
  list(): ProviderAdapter[]
}

/**
 * The adapters of the providers that have credentials (real ones, or the emulators' demo apps the
 * start-up code passes in); a provider without them is simply absent.
 *
 * @example createProviderRegistry(config.providers).get('xero')?.oauth.authorizeUrl(…)
 */
export function createProviderRegistry(providers: ProvidersConfig, http: HttpOptions = {}): ProviderRegistry {
  const adapters = new Map<ProviderId, ProviderAdapter>()
  for (const id of PROVIDER_IDS) {
    const make = FACTORIES[id] as (c: ProvidersConfig[typeof id], h: HttpOptions) => ProviderAdapter | null
    const adapter = make(providers[id], http)
    if (adapter) adapters.set(id, guardAdapter(adapter))
  }
  return {
    get: (id) => adapters.get(id),
    list: () => [...adapters.values()],
  }
}

/**
 * The adapter with every call refused inside a database transaction (server/transaction-scope.ts):
 * each group of operations (oauth, organisations, …) gets the same guard, so a group added to the
 * interface is guarded without a change here.
 */
export function guardAdapter(adapter: ProviderAdapter): ProviderAdapter {
  const guarded: Record<string, unknown> = { ...adapter }
  for (const [group, value] of Object.entries(adapter)) {
    if (group === 'facts' || value === null || typeof value !== 'object') continue
    guarded[group] = Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([name, fn]) => [
        name,
        typeof fn !== 'function'
          ? fn
          : (...args: unknown[]) => {
              if (insideTransaction()) throw new TransactionMisuse(`${adapter.id}.${group}.${name}`)
              return (fn as (...a: unknown[]) => unknown).apply(value, args)
            },
      ]),
    )
  }
  return guarded as unknown as ProviderAdapter
}
