import {
  SINGLE_KEY,
  STANDARD_CATEGORIES,
  type MappingEntry,
  type MappingKind,
} from '../../shared/mappings.ts'
import type { Chart } from './chart.ts'
import type { Mappings } from './invoice-input.ts'
import { labelOf, needsItems, resolve, type ChartEntry } from './mapping-rules.ts'
import {
  proposeItem,
  proposePaymentAccount,
  proposeSalesAccount,
  proposeTaxRate,
  type Proposal,
} from './proposals.ts'

/** What the vendor's documents use: their categories, and each tax code with the rate its lines carry. */
export interface InUse {
  categories: string[]
  taxCodes: Map<string, string | null>
}

const proposal = (entry: ChartEntry | null, reason: string): Proposal | null =>
  entry ? { ref: entry.id, label: labelOf(entry), reason } : null

/**
 * Every mapping the organisation needs, each mapped, missing or stale (its choice archived,
 * deleted or no longer fitting since), with a proposal from the chart where it is not mapped.
 */
export function mappingEntries(chart: Chart, mappings: Mappings, inUse: InUse): MappingEntry[] {
  const entry = (
    kind: MappingKind,
    key: string,
    suggest: () => Proposal | null,
    blocks: (state: MappingEntry['state']) => boolean,
    localRate: string | null = null,
  ): MappingEntry => {
    const chosen = mappings.get(`${kind}:${key}`)
    const found = chosen ? resolve(chart, kind, chosen.provider_ref) : null
    const state = !found ? 'missing' : found.problem ? 'stale' : 'mapped'
    return {
      kind,
      key,
      state,
      current:
        chosen && found
          ? {
              ref: chosen.provider_ref,
              label: found.entry ? labelOf(found.entry) : chosen.label,
              problem: found.problem,
            }
          : null,
      proposal: state === 'mapped' ? null : suggest(),
      blocksPush: blocks(state),
      localRate,
    }
  }
  const keysOf = (kind: MappingKind) =>
    [...mappings.keys()].filter((k) => k.startsWith(`${kind}:`)).map((k) => k.slice(kind.length + 1))
  const categories = [
    ...new Set([
      ...STANDARD_CATEGORIES,
      ...[
        ...new Set([...inUse.categories, ...keysOf('category_account'), ...keysOf('category_item')]),
      ].sort(),
    ]),
  ]
  const sales = proposal(proposeSalesAccount(chart), 'Your organisation’s sales account')
  const fallback = entry(
    'default_account',
    SINGLE_KEY,
    () => sales,
    (s) => s === 'stale',
  )

  const entries = categories.map((category) =>
    entry(
      'category_account',
      category,
      () => sales,
      (s) => s === 'stale' || (s === 'missing' && fallback.state !== 'mapped'),
    ),
  )
  entries.push(fallback)
  if (needsItems(chart))
    for (const category of categories)
      entries.push(
        entry(
          'category_item',
          category,
          () => proposal(proposeItem(chart, category), 'Named like the category'),
          (s) => s !== 'mapped',
        ),
      )
  const taxCodes = [...new Set([...inUse.taxCodes.keys(), ...keysOf('tax_rate')])].sort()
  for (const code of taxCodes) {
    const rate = inUse.taxCodes.get(code) ?? null
    entries.push(
      entry(
        'tax_rate',
        code,
        () => proposal(proposeTaxRate(chart, code, rate), `The same rate (${rate}%)`),
        (s) => s !== 'mapped',
        rate,
      ),
    )
  }
  entries.push(
    entry(
      'payment_account',
      SINGLE_KEY,
      () => proposal(proposePaymentAccount(chart), 'A bank account that receives payments'),
      () => false,
    ),
  )
  return entries
}
