import { useEffect } from 'preact/hooks'
import type { Connection } from '../../shared/api/connections.ts'
import type { MappingEntry, MappingKind } from '../../shared/mappings.ts'
import { Busy, Problem } from '../components/problem.tsx'
import { useRuntime } from '../state/context.ts'
import { useUid, useWatch } from '../state/hooks.ts'
import { MappingRow } from './mapping-row.tsx'
import { choicesOf } from './mappings-state.ts'
import { useParts } from './parts.ts'

/** The mappings of one kind, under a heading that says what they are for. */
function Group({ kind, entries, admin }: { kind: MappingKind; entries: MappingEntry[]; admin: boolean }) {
  const { mappings: m, words: w } = useParts()
  const id = useUid()
  const choices = choicesOf(m.chart.value!, kind)
  return (
    <section aria-labelledby={id}>
      <h4 id={id}>{w.kinds[kind].title}</h4>
      <p class="muted small">{w.kinds[kind].hint}</p>
      <ul class="list" role="list">
        {entries.map((e) => (
          <MappingRow key={e.key} entry={e} choices={choices} admin={admin} />
        ))}
      </ul>
    </section>
  )
}

/**
 * The account mappings of the connection: for each category, tax code and the default and payment
 * accounts, where it goes in the organisation's chart. Admins choose (searchable menus of what the
 * chart allows), take suggestions, refresh the chart and save all changes at once; members read.
 */
export function MappingEditor({ connection }: { connection: Connection }) {
  const { state, i18n } = useRuntime()
  const { mappings: m, words: w } = useParts()
  useWatch(...m.all)
  useEffect(() => m.start(connection.id), [m, connection.id])
  const view = m.view.value
  if (!view || !m.chart.value)
    return m.loadError.value ? (
      <Problem error={m.loadError.value} onRetry={() => void m.load()} />
    ) : (
      <Busy text={w.mappingsLoading} />
    )
  const admin = state.isAdmin()
  const busy = m.busy.value
  const changes = m.drafts.value.size
  const suggestions = m.suggestions().length
  const spinner = (what: string) => busy === what && <span class="spinner" aria-hidden="true" />
  return (
    <div aria-busy={!!busy}>
      <p dir="auto">{w.mappingsLead(view.provider, view.organisation)}</p>
      <p class={`summary ${view.complete ? 'ok' : 'bad'}`}>{view.complete ? w.complete : w.incomplete}</p>
      <p class="muted small">{w.chartRead(i18n.relative(view.chartFetchedAt))}</p>
      {admin ? (
        <div class="actions">
          <button type="button" onClick={() => void m.refresh()}>
            {spinner('refresh')}
            {w.refresh}
          </button>
          {suggestions > 0 && (
            <button type="button" onClick={m.useAll}>
              {w.useAll(suggestions)}
            </button>
          )}
        </div>
      ) : (
        <p class="muted">{w.readOnly(state.status.value!.tenant.name)}</p>
      )}
      {/* The kinds in the server's order (categories, the default, items, tax codes, payments). */}
      {[...new Set(view.entries.map((e) => e.kind))].map((kind) => (
        <Group key={kind} kind={kind} entries={view.entries.filter((e) => e.kind === kind)} admin={admin} />
      ))}
      {m.error.value && <Problem error={m.error.value} onDismiss={m.dismiss} />}
      {admin && (
        <div class="actions save">
          <button type="button" class="primary" onClick={() => void m.save()}>
            {spinner('save')}
            {w.saveMappings}
          </button>
          <p class="muted small">{changes > 0 ? w.unsaved(changes) : m.saved.value && w.saved}</p>
        </div>
      )}
    </div>
  )
}
