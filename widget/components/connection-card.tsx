import { useState } from 'preact/hooks'
import type { Connection } from '../../shared/api/connections.ts'
import { providerName } from '../badges/words.ts'
import { useRuntime } from '../state/context.ts'
import { CardSections } from './card-sections.tsx'
import { ConnectButtons } from './connect-buttons.tsx'
import { useUid } from '../state/hooks.ts'

/** QuickBooks' grant has a hard end; warn this long before it. */
const RECONNECT_WARNING_MS = 30 * 86_400_000
const TONE = { active: 'ok', expired: 'warn', revoked: 'warn', error: 'bad' } as const

/** Why an expired, revoked or failing connection needs the user, in plain words. */
function Reason({ connection: c }: { connection: Connection }) {
  const { i18n, page } = useRuntime()
  const { t } = i18n
  const e = c.lastError
  if (c.status === 'active') return null
  const warn = c.status !== 'error'
  // The server records only grant failures (the statuses above) and provider_error in lastError;
  // an older or newer code reads as the provider's error, with the provider's own words below it.
  const spec = warn
    ? t.local[c.status === 'expired' ? 'connection_expired' : 'connection_revoked']
    : (t.local[e?.code as keyof typeof t.local] ?? t.local.provider_error)
  return (
    <div class={`alert ${warn ? 'warn' : 'bad'}`}>
      <p class="alert-title">
        {c.status === 'revoked' && `${t.revokedLead(c.provider)} `}
        {spec.message}
      </p>
      {!warn && e && <p>{page.words.providerSaid(c.provider, e.message)}</p>}
      <p>{spec.action}</p>
      {!warn && e && (
        <p class="ref">
          {e.correlationId && (
            <>
              {page.words.supportRef}: <code>{e.correlationId}</code>.{' '}
            </>
          )}
          {t.since(i18n.dateTime(e.at))}
        </p>
      )}
    </div>
  )
}

/** The connection: organisation, provider, who connected it and when, last sync, and what to do. */
export function ConnectionCard({ connection: c }: { connection: Connection }) {
  const { state, i18n } = useRuntime()
  const { t } = i18n
  const [others, setOthers] = useState(false)
  const id = useUid()
  const busy = state.busy.value
  const reconnectBy =
    c.status === 'active' && c.reconnectBy && Date.parse(c.reconnectBy) - i18n.now() < RECONNECT_WARNING_MS
      ? c.reconnectBy
      : null
  const needsReconnect = c.status === 'expired' || c.status === 'revoked' || !!reconnectBy
  return (
    <article aria-labelledby={id}>
      <header class="head">
        <div>
          <p class="muted">{providerName(c.provider)}</p>
          <p class="org" id={id}>
            {c.organisation.name}
          </p>
        </div>
        <span class={`pill ${TONE[c.status]}`}>{t.pill[c.status]}</span>
      </header>
      <Reason connection={c} />
      {reconnectBy && (
        <p class="alert warn">
          {t.reconnectBy(c.provider, i18n.date(reconnectBy), i18n.relative(reconnectBy))}
        </p>
      )}
      <dl class="facts">
        <div>
          <dt>{t.connectedBy}</dt>
          <dd>{t.connectedByValue(c.connectedBy.name, i18n.date(c.connectedAt))}</dd>
        </div>
        <div>
          <dt>{t.lastSync}</dt>
          <dd>
            {c.lastSyncAt ? (
              <time dateTime={c.lastSyncAt} title={i18n.dateTime(c.lastSyncAt)}>
                {i18n.relative(c.lastSyncAt)}
              </time>
            ) : (
              t.notSynced
            )}
          </dd>
        </div>
      </dl>
      {state.isAdmin() ? (
        <>
          <div class="actions">
            {needsReconnect && (
              <button type="button" class="primary" disabled={busy} onClick={() => void state.reconnect()}>
                {t.reconnect(c.provider)}
              </button>
            )}
            <button type="button" class="danger" disabled={busy} onClick={state.askDisconnect}>
              {t.disconnect(c.provider)}
            </button>
          </div>
          <button type="button" class="link" aria-expanded={others} onClick={() => setOthers(!others)}>
            {others ? t.switchClose : t.switchOpen}
          </button>
          {others && <ConnectButtons except={c.provider} />}
        </>
      ) : (
        needsReconnect && <p class="muted">{t.askAdminReconnect(state.status.value!.tenant.name)}</p>
      )}
      <CardSections connection={c} />
    </article>
  )
}
