import type { MappingEntry } from '../../shared/mappings.ts'
import { ChartChoice } from './chart-choice.tsx'
import { entryId, type Choice } from './mappings-state.ts'
import { useParts } from './parts.ts'
import type { SettingsWords } from './words.ts'
import { useUid } from '../state/hooks.ts'

/** The mark beside a mapping: its tone and what it says. */
function markOf(e: MappingEntry, changed: boolean, w: SettingsWords): [string, string] {
  if (changed) return ['info', w.mark.changed]
  if (e.state === 'mapped') return ['ok', w.mark.mapped]
  if (e.state === 'stale') return ['bad', w.mark.stale]
  if (e.blocksPush) return ['bad', w.mark.blocks]
  return e.kind === 'category_account' ? ['', w.mark.fallback] : ['warn', w.mark.missing]
}

/**
 * One mapping: what it maps (a category, a tax code, the default or payment account), where it
 * goes, a mark when it went stale or blocks sending, and the chart's suggestion, applied only when
 * the admin clicks it.
 */
export function MappingRow({
  entry,
  choices,
  admin,
}: {
  entry: MappingEntry
  choices: readonly Choice[]
  admin: boolean
}) {
  const { mappings: m, words: w } = useParts()
  const id = useUid()
  const kind = w.kinds[entry.kind]
  const name = kind.single ?? (entry.kind === 'tax_rate' ? w.taxKey(entry.key, entry.localRate) : entry.key)
  const draft = m.drafts.value.get(entryId(entry))
  const [tone, mark] = markOf(entry, draft !== undefined, w)
  const { current, proposal } = entry
  return (
    <li class="map" aria-labelledby={id}>
      <div class="top">
        <span class="key" id={id} dir="auto">
          {name}
        </span>
        <span class={`pill ${tone}`}>{mark}</span>
      </div>
      {admin ? (
        <ChartChoice
          entry={entry}
          choices={choices}
          selected={draft ?? current?.ref ?? ''}
          name={name}
          kind={kind}
        />
      ) : (
        <p dir="auto">{current?.label ?? w.notChosen}</p>
      )}
      {entry.state === 'stale' && current && (
        <p class="problem" dir="auto">
          {w.stale(current.label, current.problem ?? '')}
        </p>
      )}
      {entry.state === 'missing' && entry.blocksPush && <p class="problem">{w.blocksWhy}</p>}
      {proposal && draft !== proposal.ref && (
        <p class="small">
          <span dir="auto">{w.suggested(proposal.label, proposal.reason)}</span>{' '}
          {admin && (
            <button
              type="button"
              class="link"
              aria-describedby={id}
              onClick={() => m.choose(entry, proposal.ref)}
            >
              {w.use(proposal.label)}
            </button>
          )}
        </p>
      )}
      {admin && entry.kind === 'category_item' && entry.state !== 'mapped' && !proposal && !draft && (
        <button type="button" class="link" onClick={() => void m.createItem(entry.key)}>
          {w.createItem(entry.key)}
        </button>
      )}
    </li>
  )
}
