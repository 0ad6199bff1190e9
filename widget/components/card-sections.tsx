import { useEffect, useState } from 'preact/hooks'
import type { Connection } from '../../shared/api/connections.ts'
import type { Sections } from '../settings/settings.tsx'
import { observable } from '../elements/observable.ts'
import { useRuntime } from '../state/context.ts'
import { useUid, useWatch } from '../state/hooks.ts'
import { Busy, Problem } from './problem.tsx'

type Part = keyof Sections

// The settings and the mapping editor are a chunk of their own: a page that shows only the
// connection's status never loads them. null while it loads, false when it failed.
const chunk = observable<Sections | null | false>(null)
let loading: Promise<void> | null = null
function load() {
  loading ??= import('../settings/settings.tsx').then(
    (m) => void (chunk.value = m.sections),
    (error: unknown) => {
      loading = null
      chunk.value = false
      console.error('LedgerLink could not load the settings', error)
    },
  )
}

function Lazy({ part, connection }: { part: Part; connection: Connection }) {
  const { page } = useRuntime()
  useWatch(chunk)
  useEffect(load, [])
  const View = chunk.value && chunk.value[part]
  if (View) return <View connection={connection} />
  return chunk.value === false ? (
    <Problem
      error={{ code: 'network' }}
      onRetry={() => {
        chunk.value = null
        load()
      }}
    />
  ) : (
    <Busy text={page.words.loading} />
  )
}

/**
 * The connection's settings and account mappings, each behind a disclosure (a heading's button),
 * opened on demand. An expired or revoked connection has no chart to map against: its mappings
 * wait for the reconnect.
 */
export function CardSections({ connection }: { connection: Connection }) {
  const { t } = useRuntime().i18n
  const id = useUid()
  const [open, setOpen] = useState<Part | null>(null)
  const parts: Part[] =
    connection.status === 'expired' || connection.status === 'revoked'
      ? ['settings']
      : ['settings', 'mappings']
  return (
    <div class="sections">
      {parts.map((part) => (
        <div key={part}>
          <h3>
            <button
              type="button"
              aria-expanded={open === part}
              aria-controls={open === part ? id + part : undefined}
              onClick={() => setOpen(open === part ? null : part)}
            >
              {t.sections[part]}
            </button>
          </h3>
          {open === part && (
            <div class="section" id={id + part}>
              <Lazy part={part} connection={connection} />
            </div>
          )}
        </div>
      ))}
    </div>
  )
}
