import type { Db } from '../db/client.ts'
import type { ConnectionRow } from '../connections/token-store.ts'
import type { ProviderAdapter } from '../providers/provider.ts'
import type {
  ProviderAccount,
  ProviderItem,
  ProviderSync,
  ProviderTaxRate,
} from '../providers/sync-contract.ts'
import type { ProviderCalls } from './provider-calls.ts'
import { syncRepo } from './sync-repo.ts'

/**
 * The organisation's chart (accounts, tax rates, currencies, and the items of a provider whose
 * lines need one), read through the engine's provider calls and cached per connection for the
 * mapping menus and the check before each push. A refresh reads it again at once. The reads happen
 * before the one transaction that stores them: never a provider call inside a transaction.
 */
export interface Chart {
  accounts: ProviderAccount[]
  taxRates: ProviderTaxRate[]
  currencies: string[]
  /** Null where the provider's lines need no catalogue item. */
  items: ProviderItem[] | null
  fetchedAt: number
}

export const CHART_TTL_MS = 5 * 60_000
const PARTS = ['accounts', 'tax_rates', 'currencies', 'items'] as const

export function createChartReader(deps: { db: Db; calls: ProviderCalls; now: () => number }) {
  const { db, calls, now } = deps

  async function cached(connectionId: string): Promise<Chart | null> {
    const [accounts, taxRates, currencies, items] = await Promise.all(
      PARTS.map((part) => syncRepo.cachedChart<unknown>(db, connectionId, part)),
    )
    // Every part is written in one transaction with one time; anything else is an older layout.
    if (!accounts || !taxRates || !currencies || !items) return null
    if (![accounts, taxRates, currencies].every((p) => Array.isArray(p.body))) return null
    return {
      accounts: accounts.body as ProviderAccount[],
      taxRates: taxRates.body as ProviderTaxRate[],
      currencies: currencies.body as string[],
      items: items.body as ProviderItem[] | null,
      fetchedAt: Math.min(accounts.fetchedAt, taxRates.fetchedAt, currencies.fetchedAt, items.fetchedAt),
    }
  }

  async function store(connectionId: string, chart: Chart) {
    await db.transaction(async (tx) => {
      const bodies = [chart.accounts, chart.taxRates, chart.currencies, chart.items]
      for (const [i, part] of PARTS.entries())
        await syncRepo.cacheChart(tx, connectionId, part, bodies[i], chart.fetchedAt)
    })
  }

  async function refresh(conn: ConnectionRow, adapter: ProviderAdapter, sync: ProviderSync): Promise<Chart> {
    const read = <T>(fn: (a: Parameters<ProviderSync['chart']['accounts']>[0]) => Promise<T>) =>
      calls.call(conn, adapter, fn)
    const chart: Chart = {
      accounts: await read((a) => sync.chart.accounts(a)),
      taxRates: await read((a) => sync.chart.taxRates(a)),
      currencies: await read((a) => sync.chart.currencies(a)),
      items: sync.chart.items ? await read((a) => sync.chart.items!(a)) : null,
      fetchedAt: now(),
    }
    await store(conn.id, chart)
    return chart
  }

  return {
    /** The cached chart while it is fresh, else read now. */
    async of(conn: ConnectionRow, adapter: ProviderAdapter, sync: ProviderSync): Promise<Chart> {
      const hit = await cached(conn.id)
      if (hit && hit.fetchedAt + CHART_TTL_MS > now()) return hit
      return refresh(conn, adapter, sync)
    },
    /** Reads the chart again now (the admin's "refresh" after changing it in the provider). */
    refresh,
    /** An item just created at the provider joins the cached chart without reading it all again. */
    async addItem(connectionId: string, chart: Chart, item: ProviderItem): Promise<Chart> {
      const next = { ...chart, items: [...(chart.items ?? []).filter((i) => i.id !== item.id), item] }
      await db.transaction((tx) =>
        syncRepo.cacheChart(tx, connectionId, 'items', next.items, chart.fetchedAt),
      )
      return next
    },
  }
}

export type ChartReader = ReturnType<typeof createChartReader>
