import type { ChartView, MappingEntry, MappingKind, MappingsView } from '../../shared/mappings.ts'
import type { ApiError } from '../api/api-error.ts'
import { observable } from '../elements/observable.ts'
import type { SettingsApi } from '../api/settings.ts'
import { asError } from '../components/problem.tsx'
import type { SettingsWords } from './words.ts'

/** One entry of the chart a mapping may name, as its menu shows it. */
export interface Choice {
  ref: string
  label: string
}

export const entryId = (e: { kind: MappingKind; key: string }) => `${e.kind}:${e.key}`

/**
 * What each kind may choose, as the server checks it (server/sync/mapping-rules.ts): categories
 * and the default to active revenue accounts, payments to active accounts that accept them, tax
 * codes to active tax rates, QuickBooks categories to active items.
 */
export function choicesOf(chart: ChartView, kind: MappingKind): Choice[] {
  if (kind === 'tax_rate')
    return chart.taxRates.filter((r) => r.active).map((r) => ({ ref: r.id, label: `${r.name} (${r.rate}%)` }))
  if (kind === 'category_item')
    return (chart.items ?? []).filter((i) => i.active).map((i) => ({ ref: i.id, label: i.name }))
  return chart.accounts
    .filter((a) => a.active && (kind === 'payment_account' ? a.acceptsPayments : a.kind === 'revenue'))
    .map((a) => ({ ref: a.id, label: a.code ? `${a.name} (${a.code})` : a.name }))
}

type Busy = 'save' | 'refresh' | 'item' | null

/**
 * The mapping editor's state: the server's view of the mappings and the chart its menus offer,
 * and the admin's choices not saved yet (`drafts`, by entry id). A proposal is only ever a
 * suggestion: it becomes a draft when the admin clicks it, and is saved with the rest.
 */
export function createMappings(api: SettingsApi, w: SettingsWords, say: (text: string) => void) {
  const view = observable<MappingsView | null>(null)
  const chart = observable<ChartView | null>(null)
  const loadError = observable<ApiError | null>(null)
  const drafts = observable<ReadonlyMap<string, string>>(new Map())
  const busy = observable<Busy>(null)
  const error = observable<ApiError | null>(null)
  const saved = observable(false)
  let loadedFor: string | null = null

  /** Entries with a proposal the admin has not taken yet. */
  const suggestions = () =>
    (view.value?.entries ?? []).filter((e) => e.proposal && drafts.value.get(entryId(e)) !== e.proposal.ref)

  async function load() {
    loadError.value = null
    try {
      const [v, c] = await Promise.all([api.mappings(), api.chart()])
      view.value = v
      chart.value = c
    } catch (e) {
      loadError.value = asError(e)
    }
  }

  function draft(update: (next: Map<string, string>) => void) {
    const next = new Map(drafts.value)
    update(next)
    drafts.value = next
    saved.value = false
  }

  async function run(what: Exclude<Busy, null>, action: () => Promise<string>) {
    if (busy.value) return
    busy.value = what
    error.value = null
    try {
      say(await action())
    } catch (e) {
      error.value = asError(e)
    } finally {
      busy.value = null
    }
  }

  return {
    all: [view, chart, loadError, drafts, busy, error, saved],
    view,
    chart,
    loadError,
    drafts,
    busy,
    error,
    saved,
    suggestions,
    load,
    dismiss: () => (error.value = null),
    /** Loads the mappings of this connection (again when the page connects elsewhere). */
    start(connectionId: string) {
      if (loadedFor === connectionId) return
      loadedFor = connectionId
      view.value = null
      drafts.value = new Map()
      void load()
    },
    /** The admin chose `ref` for `entry` (choosing what is saved already drops the draft). */
    choose(entry: MappingEntry, ref: string) {
      draft((next) =>
        entry.state === 'mapped' && entry.current?.ref === ref
          ? next.delete(entryId(entry))
          : next.set(entryId(entry), ref),
      )
    },
    useAll: () => {
      draft((next) => suggestions().forEach((e) => next.set(entryId(e), e.proposal!.ref)))
    },
    /** Saves every draft at once (nothing to send, nothing sent). */
    save: () =>
      drafts.value.size === 0
        ? Promise.resolve()
        : run('save', async () => {
            const mappings = [...drafts.value].map(([id, ref]) => {
              const at = id.indexOf(':')
              return { kind: id.slice(0, at) as MappingKind, key: id.slice(at + 1), ref }
            })
            const next = await api.saveMappings({ mappings })
            view.value = next
            drafts.value = new Map()
            saved.value = true
            return next.complete ? `${w.mappingsSaved} ${w.complete}` : w.mappingsSaved
          }),
    /** Reads the chart again, then the mappings (their states depend on it). */
    refresh: () =>
      run('refresh', async () => {
        chart.value = await api.refreshChart()
        view.value = await api.mappings()
        return w.refreshed
      }),
    /** QuickBooks: a new item named like the category, chosen for it at once. */
    createItem: (category: string) =>
      run('item', async () => {
        const { item, mappings } = await api.createItem({ category })
        view.value = mappings
        const c = chart.value
        if (c) chart.value = { ...c, items: [...(c.items ?? []), item] }
        const next = new Map(drafts.value)
        next.delete(entryId({ kind: 'category_item', key: category }))
        drafts.value = next
        return w.itemCreated(item.name, category)
      }),
  }
}
export type MappingsState = ReturnType<typeof createMappings>
