import type { ProviderId } from '../../shared/providers.ts'
import { PROVIDER_IDS } from '../../shared/providers.ts'
import type { Config } from '../config.ts'
import { insideTransaction, TransactionMisuse } from '../transaction-scope.ts'
import type { ProviderAdapter, ProviderFacts } from './provider.ts'
import type { HttpOptions } from './provider-http.ts'
import { createQuickBooksAdapter } from './quickbooks/adapter.ts'
import { QUICKBOOKS_FACTS } from './quickbooks/facts.ts'
import { createSageAdapter } from './sage/adapter.ts'
import { SAGE_FACTS } from './sage/facts.ts'
import { createXeroAdapter } from './xero/adapter.ts'
import { XERO_FACTS } from './xero/facts.ts'

type ProvidersConfig = Config['providers']

/** One line per provider: a new provider is one folder and one line here (STYLE.md). */
const FACTORIES: { [K in ProviderId]: (c: ProvidersConfig[K], http: HttpOptions) => ProviderAdapter | null } =
  {
    xero: (c, http) => c.credentials && createXeroAdapter({ ...c.credentials, urls: c.urls, ...http }),
    quickbooks: (c, http) =>
      c.credentials && createQuickBooksAdapter({ ...c.credentials, urls: c.urls, ...http }),
    sage: (c, http) => c.credentials && createSageAdapter({ ...c.credentials, urls: c.urls, ...http }),
  }

/**
 * Each provider's facts without its adapter, for what exists whether or not the provider has
 * credentials here: the routes the app serves (a Disconnect URL) are the same on every server.
 */
export const PROVIDER_FACTS: { readonly [K in ProviderId]: ProviderFacts } = {
  xero: XERO_FACTS,
  quickbooks: QUICKBOOKS_FACTS,
  sage: SAGE_FACTS,
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
 * The adapter with every call refused inside a database transaction (server/transaction-scope.ts).
 * Every function below the top level is guarded, however deep (oauth.refresh,
 * sync.invoices.upsertMany), so an operation added to the interface is guarded without a change
 * here. Pure helpers are guarded too: nothing in an adapter belongs in a transaction.
 */
export function guardAdapter(adapter: ProviderAdapter): ProviderAdapter {
  const guard = (value: unknown, path: string): unknown => {
    if (typeof value === 'function')
      return (...args: unknown[]) => {
        if (insideTransaction()) throw new TransactionMisuse(`${adapter.id}.${path}`)
        return (value as (...a: unknown[]) => unknown)(...args)
      }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, guard(v, path ? `${path}.${k}` : k)]))
  }
  const { facts, ...operations } = adapter
  return { ...(guard(operations, '') as object), facts } as ProviderAdapter
}
