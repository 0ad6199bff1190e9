import { useEffect, useState } from 'preact/hooks'
import type { Filters as FilterValues, HistoryState } from './state.ts'

/**
 * The filters, as labelled form controls: the lists and days apply as they change, the text when
 * it is submitted (Enter or Search), so typing does not reload the list at every key.
 */
export function Filters({ s }: { s: HistoryState }) {
  const { w } = s
  const f = s.filters.value
  const [q, setQ] = useState(f.q ?? '')
  useEffect(() => setQ(f.q ?? ''), [f.q])
  const set = (key: keyof FilterValues) => (e: Event) =>
    void s.filter({ [key]: (e.currentTarget as HTMLInputElement).value || undefined })
  const menu = (key: 'status' | 'kind', label: string, all: Record<string, string>) => (
    <label>
      {label}
      <select value={f[key] ?? ''} onChange={set(key)}>
        <option value="">{w.all}</option>
        {Object.entries(all).map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  )
  return (
    <form
      role="search"
      aria-label={w.filters}
      onSubmit={(e) => {
        e.preventDefault()
        void s.filter({ q: q.trim() || undefined })
      }}
    >
      {menu('status', w.statusLabel, w.status)}
      {menu('kind', w.kindLabel, w.kinds)}
      <label>
        {w.from}
        <input type="date" value={f.from ?? ''} max={f.to} onChange={set('from')} />
      </label>
      <label>
        {w.to}
        <input type="date" value={f.to ?? ''} min={f.from} onChange={set('to')} />
      </label>
      <label class="q">
        {w.search}
        <input
          type="search"
          value={q}
          maxLength={100}
          placeholder={w.searchHint}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
      </label>
      <button type="submit">{w.search}</button>
    </form>
  )
}
