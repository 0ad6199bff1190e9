import { SINGLE_KEY, type MappingKind } from '../../shared/mappings.ts'
import type { ProviderAccount, ProviderItem, ProviderTaxRate } from '../providers/sync-contract.ts'
import type { Chart } from './chart.ts'
import type { Mappings } from './invoice-input.ts'

/**
 * What each kind of mapping may name in the chart, in one place for the mapping screen, its writes
 * and the check before every push: a category goes to an active revenue account (CERTIFICATION
 * XR-M02), payments to an active account that accepts them (XR-M05), tax codes to an active tax
 * rate (XR-X01), QuickBooks categories also to an active item.
 */
export type ChartEntry = ProviderAccount | ProviderTaxRate | ProviderItem

export interface Resolved {
  /** The chart entry the ref names, or null when it is not in the chart (deleted since). */
  entry: ChartEntry | null
  /** Why it cannot be used, in words a bookkeeper reads; null when it can. */
  problem: string | null
}

const ACCOUNT_KINDS = new Set<MappingKind>(['category_account', 'default_account', 'payment_account'])

export const labelOf = (entry: ChartEntry) =>
  'code' in entry && entry.code ? `${entry.name} (${entry.code})` : entry.name

/** Whether this provider's lines need a catalogue item as well as an account. */
export const needsItems = (chart: Chart) => chart.items !== null

function find(chart: Chart, kind: MappingKind, ref: string): ChartEntry | null {
  if (ACCOUNT_KINDS.has(kind)) return chart.accounts.find((a) => a.id === ref || a.code === ref) ?? null
  if (kind === 'tax_rate') return chart.taxRates.find((r) => r.id === ref) ?? null
  return chart.items?.find((i) => i.id === ref) ?? null
}

function unfit(kind: MappingKind, entry: ChartEntry): string | null {
  if (!entry.active)
    return kind === 'category_item'
      ? 'is inactive in your accounting software'
      : 'is archived in your accounting software'
  if (
    (kind === 'category_account' || kind === 'default_account') &&
    (entry as ProviderAccount).kind !== 'revenue'
  )
    return 'is not a revenue account'
  if (kind === 'payment_account' && !(entry as ProviderAccount).acceptsPayments)
    return 'does not accept payments (choose a bank account)'
  return null
}

/**
 * The account a category's lines post to: its own mapping, else the default account. `kind` says
 * which was chosen (their messages differ); null when neither is mapped.
 */
export function accountChoice(mappings: Mappings, category: string) {
  const own = mappings.get(`category_account:${category}`)
  if (own) return { chosen: own, kind: 'category_account' as const }
  const fallback = mappings.get(`default_account:${SINGLE_KEY}`)
  return fallback ? { chosen: fallback, kind: 'default_account' as const } : null
}

/** The chart entry a mapping names and why it cannot be used, if it cannot. */
export function resolve(chart: Chart, kind: MappingKind, ref: string): Resolved {
  const entry = find(chart, kind, ref)
  if (!entry) return { entry: null, problem: 'no longer exists in your accounting software' }
  return { entry, problem: unfit(kind, entry) }
}

/** The entries of the chart a mapping of this kind may choose (what the menu offers). */
export function choices(chart: Chart, kind: MappingKind): ChartEntry[] {
  const all: ChartEntry[] = ACCOUNT_KINDS.has(kind)
    ? chart.accounts
    : kind === 'tax_rate'
      ? chart.taxRates
      : (chart.items ?? [])
  return all.filter((e) => unfit(kind, e) === null)
}
