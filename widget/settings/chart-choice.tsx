import { useState } from 'preact/hooks'
import type { MappingEntry } from '../../shared/mappings.ts'
import { useRuntime } from '../state/context.ts'
import type { Choice } from './mappings-state.ts'
import { useParts } from './parts.ts'
import { useUid } from '../state/hooks.ts'

const norm = (s: string) => s.trim().toLocaleLowerCase()

/**
 * A searchable choice among the chart's entries: a search box that narrows a native <select>.
 * Both are plain form controls, so the keyboard, screen readers and Chromium's own menu all work
 * as everywhere else (a <datalist> would leave free text to match back to an id, and hides every
 * other entry once one is chosen). What is chosen stays listed whatever the search, so the menu
 * never seems to change on its own; the number of matches is said through the page's live region.
 */
export function ChartChoice(props: {
  entry: MappingEntry
  choices: readonly Choice[]
  selected: string
  name: string
  kind: { noun: string; a: string; many: string }
}) {
  const { page } = useRuntime()
  const { mappings: m, words: w } = useParts()
  const { entry, choices, selected, name, kind } = props
  const id = useUid()
  const [query, setQuery] = useState('')
  const match = (q: string) => choices.filter((c) => c.label.toLocaleLowerCase().includes(norm(q)))
  const shown = match(query)
  const chosen = shown.some((c) => c.ref === selected)
    ? null
    : (choices.find((c) => c.ref === selected) ??
      (selected && entry.current ? { ref: selected, label: entry.current.label } : null))
  return (
    <div class="row">
      <input
        type="search"
        aria-label={w.search(kind.many, name)}
        placeholder={w.searchPlaceholder}
        aria-controls={id}
        value={query}
        onInput={(e) => {
          const q = e.currentTarget.value
          setQuery(q)
          if (norm(q)) page.announce(w.matches(match(q).length))
        }}
      />
      <select
        id={id}
        aria-label={w.choose(kind.noun, name)}
        value={selected}
        onChange={(e) => e.currentTarget.value && m.choose(entry, e.currentTarget.value)}
      >
        {!selected && <option value="">{w.pick(kind.a)}</option>}
        {chosen && <option value={chosen.ref}>{chosen.label}</option>}
        {shown.map((c) => (
          <option key={c.ref} value={c.ref}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  )
}
