import type { FieldError } from '../../shared/errors.ts'
import {
  SINGLE_KEY,
  type ChartView,
  type ContactPageView,
  type MappingsView,
  type PutMappings,
} from '../../shared/mappings.ts'
import { PROVIDERS } from '../../shared/providers.ts'
import type { Db } from '../db/client.ts'
import type { ProviderLookup } from '../connections/service.ts'
import type { ConnectionRow } from '../connections/token-store.ts'
import { AppError } from '../errors.ts'
import { CHART_TTL_MS, createChartReader, type Chart } from './chart.ts'
import type { ContactPage } from '../providers/sync-contract.ts'
import { accountChoice, labelOf, needsItems, resolve } from './mapping-rules.ts'
import { mappingEntries, type InUse } from './mapping-view.ts'
import { syncAdapterOf, type ProviderCalls } from './provider-calls.ts'
import { syncRepo } from './sync-repo.ts'

/**
 * The admin's mappings of one tenant's connection: read with their states and the chart's
 * proposals, written all together after every choice is checked against the chart, and the
 * QuickBooks item a category needs, created only when the admin asks.
 */
const SINGLE_KINDS = new Set(['default_account', 'payment_account'])

/** Categories and tax codes on the tenant's invoices and credit notes (drafts too: map ahead). */
const IN_USE = `SELECT j.value->>'category' AS category, j.value->>'taxCode' AS tax_code,
    j.value->>'taxRate' AS tax_rate, count(*) AS n
  FROM (SELECT lines FROM invoices WHERE tenant_id = ?1 UNION ALL SELECT lines FROM credit_notes WHERE tenant_id = ?1) d,
    json_each(d.lines) j
  GROUP BY 1, 2, 3 ORDER BY n DESC`

export function createMappings(deps: {
  db: Db
  providers: ProviderLookup
  calls: ProviderCalls
  now: () => number
}) {
  const { db, now } = deps
  const charts = createChartReader({ db, calls: deps.calls, now })

  /** The tenant's connection and its adapter's sync half, or the error a bookkeeper can act on. */
  async function connectionOf(tenantId: string) {
    const conn = await db.get<ConnectionRow>(
      "SELECT * FROM connections WHERE tenant_id = ? AND status <> 'disconnected'",
      [tenantId],
    )
    if (!conn) throw new AppError('no_connection')
    if (conn.status === 'expired' || conn.status === 'revoked')
      throw new AppError(`connection_${conn.status}`)
    return { conn, ...syncAdapterOf(deps.providers, conn.provider) }
  }
  type Target = Awaited<ReturnType<typeof connectionOf>>

  async function inUse(tenantId: string): Promise<InUse> {
    const rows = await db.all<{ category: string | null; tax_code: string | null; tax_rate: string | null }>(
      IN_USE,
      [tenantId],
    )
    const taxCodes = new Map<string, string | null>()
    // Most lines first: a code seen with two rates is proposed the rate most of its lines carry.
    for (const r of rows)
      if (r.tax_code !== null && !taxCodes.has(r.tax_code)) taxCodes.set(r.tax_code, r.tax_rate)
    return { categories: [...new Set(rows.flatMap((r) => (r.category ? [r.category] : [])))], taxCodes }
  }

  async function viewOf(tenantId: string, { conn }: Target, chart: Chart): Promise<MappingsView> {
    const entries = mappingEntries(chart, await syncRepo.mappings(db, conn.id), await inUse(tenantId))
    return {
      provider: conn.provider,
      organisation: conn.organisation_name,
      entries,
      complete: !entries.some((e) => e.blocksPush),
      chartFetchedAt: new Date(chart.fetchedAt).toISOString(),
    }
  }

  const chartView = ({ conn }: Target, chart: Chart): ChartView => ({
    provider: conn.provider,
    accounts: chart.accounts,
    taxRates: chart.taxRates,
    currencies: chart.currencies,
    items: chart.items,
    fetchedAt: new Date(chart.fetchedAt).toISOString(),
  })

  function check(target: Target, chart: Chart, changes: PutMappings['mappings']): FieldError[] {
    const problems: FieldError[] = []
    const seen = new Set<string>()
    changes.forEach(({ kind, key, ref }, i) => {
      const at = `mappings.${i}`
      if (seen.has(`${kind}:${key}`))
        problems.push({ path: at, message: `“${key}” is set twice in this request` })
      seen.add(`${kind}:${key}`)
      if (SINGLE_KINDS.has(kind) && key !== SINGLE_KEY)
        problems.push({
          path: `${at}.key`,
          message: `There is one ${kind.replace('_', ' ')}: use "${SINGLE_KEY}"`,
        })
      if (kind === 'category_item' && !needsItems(chart))
        problems.push({
          path: `${at}.kind`,
          message: `${PROVIDERS[target.conn.provider].name} needs no product or service on a line: map the category to an account`,
        })
      else if (ref !== null) {
        const { entry, problem } = resolve(chart, kind, ref)
        if (problem)
          problems.push({
            path: `${at}.ref`,
            message: entry
              ? `“${labelOf(entry)}” ${problem}`
              : `Nothing with id ${ref} is in the chart: refresh it and choose again`,
          })
      }
    })
    return problems
  }

  return {
    async view(tenantId: string) {
      const target = await connectionOf(tenantId)
      return viewOf(tenantId, target, await charts.of(target.conn, target.adapter, target.sync))
    },

    /**
     * A page of the organisation's customers for the host's import, kept as long as the chart
     * (`fetchedAt` says how old); `refresh` drops every kept page and reads this one now.
     */
    async contacts(
      tenantId: string,
      page: number,
      options: { refresh?: boolean } = {},
    ): Promise<ContactPageView> {
      const { conn, adapter, sync } = await connectionOf(tenantId)
      const view = (read: ContactPage, at: number) => ({
        provider: conn.provider,
        page,
        ...read,
        fetchedAt: new Date(at).toISOString(),
      })
      if (options.refresh) await syncRepo.forgetContactPages(db, conn.id)
      const kept = options.refresh ? null : await syncRepo.cachedContactPage<ContactPage>(db, conn.id, page)
      if (kept && kept.fetchedAt + CHART_TTL_MS > now()) return view(kept.body, kept.fetchedAt)
      const read = await deps.calls.call(conn, adapter, (a) => sync.contacts.listPage(a, page))
      const at = now()
      await syncRepo.cacheContactPage(db, conn.id, page, read, at)
      return view(read, at)
    },

    async chart(tenantId: string, options: { refresh?: boolean } = {}) {
      const target = await connectionOf(tenantId)
      const { conn, adapter, sync } = target
      const chart = options.refresh
        ? await charts.refresh(conn, adapter, sync)
        : await charts.of(conn, adapter, sync)
      return chartView(target, chart)
    },

    /** Sets or clears every mapping sent, or none: each is checked against the chart first. */
    async apply(tenantId: string, changes: PutMappings['mappings'], by: string) {
      const target = await connectionOf(tenantId)
      const chart = await charts.of(target.conn, target.adapter, target.sync)
      const problems = check(target, chart, changes)
      if (problems.length > 0)
        throw new AppError('validation_failed', {
          message: 'Some mappings cannot be saved, so none were changed.',
          details: problems,
        })
      await db.transaction(async (tx) => {
        for (const { kind, key, ref } of changes) {
          if (ref === null) await syncRepo.clearMapping(tx, target.conn.id, kind, key)
          else {
            const { entry } = resolve(chart, kind, ref)
            const m = {
              connectionId: target.conn.id,
              kind,
              key,
              providerRef: entry!.id,
              label: labelOf(entry!),
              by,
            }
            await syncRepo.setMapping(tx, m, now())
          }
        }
      })
      return viewOf(tenantId, target, chart)
    },

    /**
     * Creates a product or service for a category at the provider (the admin asked for it), linked
     * to the category's income account (or the default account), and maps the category to it.
     */
    async createItem(tenantId: string, input: { category: string; name?: string | undefined }, by: string) {
      const target = await connectionOf(tenantId)
      const { conn, adapter, sync } = target
      if (!sync.chart.createItem)
        throw new AppError('not_supported', {
          message: `${PROVIDERS[conn.provider].name} needs no product or service on invoice lines: map “${input.category}” to an account only.`,
        })
      const chart = await charts.of(conn, adapter, sync)
      const mappings = await syncRepo.mappings(db, conn.id)
      const choice = accountChoice(mappings, input.category)
      const account = choice && resolve(chart, choice.kind, choice.chosen.provider_ref)
      if (!account?.entry || account.problem)
        throw new AppError('validation_failed', {
          message: `Choose an income account for “${input.category}” first: the new item posts to it.`,
          details: [{ path: 'category', message: 'Map the category to a revenue account first' }],
        })
      const name = input.name ?? input.category
      const clash = chart.items?.find((i) => i.name.trim().toLowerCase() === name.trim().toLowerCase())
      if (clash)
        throw new AppError('conflict', {
          message: `A product or service named “${clash.name}” already exists: choose it for “${input.category}” instead.`,
          details: [{ path: 'name', message: 'Choose another name, or map the existing item' }],
        })
      // The same request (a retry after a lost answer) sends the same key: one item, not two.
      // The adapter fits it to its provider (QuickBooks hashes a long one into a UUID).
      const key = JSON.stringify(['item', conn.id, input.category, name])
      const item = await deps.calls.call(conn, adapter, (a) =>
        sync.chart.createItem!(a, { name, incomeAccountId: account.entry!.id }, key),
      )
      const next = await charts.addItem(conn.id, chart, item)
      await db.transaction((tx) =>
        syncRepo.setMapping(
          tx,
          {
            connectionId: conn.id,
            kind: 'category_item',
            key: input.category,
            providerRef: item.id,
            label: item.name,
            by,
          },
          now(),
        ),
      )
      return { item, mappings: await viewOf(tenantId, target, next) }
    },
  }
}

export type MappingsService = ReturnType<typeof createMappings>
