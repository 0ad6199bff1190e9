import { useId, useState } from 'preact/hooks'
import type { Connection } from '../../shared/api/connections.ts'
import { PROVIDERS } from '../../shared/providers.ts'
import { ownWords } from '../api/describe-error.ts'
import { useRuntime } from '../state/context.ts'
import { CardSections } from './card-sections.tsx'
import { ConnectButtons } from './connect-buttons.tsx'

/** QuickBooks' grant has a hard end; warn this long before it. */
const RECONNECT_WARNING_MS = 30 * 86_400_000
const TONE = { active: 'ok', expired: 'warn', revoked: 'warn', error: 'bad' } as const

/** Why an expired, revoked or failing connection needs the user, in plain words. */
function Reason({ connection: c }: { connection: Connection }) {
  const { t, dateTime } = useRuntime().i18n
  if (c.status === 'expired' || c.status === 'revoked') {
    const spec = t.local[c.status === 'expired' ? 'connection_expired' : 'connection_revoked']
    return (
      <div class="alert warn">
        <p class="alert-title">
          {c.status === 'revoked' && `${t.revokedLead(c.provider)} `}
          {spec.message}
        </p>
        <p>{spec.action}</p>
      </div>
    )
  }
  if (c.status !== 'error') return null
  const e = c.lastError
  // The server records only grant failures (shown above) and provider_error here; an older or
  // newer code reads as the provider's error, with the provider's own words below it.
  const spec = ownWords(t, e?.code) ?? t.local.provider_error
  return (
    <div class="alert bad">
      <p class="alert-title">{spec.message}</p>
      {e && <p>{t.providerSaid(c.provider, e.message)}</p>}
      <p>{spec.action}</p>
      {e && (
        <p class="ref">
          {e.correlationId && (
            <>
              {t.supportRef}: <code>{e.correlationId}</code>.{' '}
            </>
          )}
          {t.since(dateTime(e.at))}
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
  const id = useId()
  const admin = state.isAdmin.value
  const reconnectBy =
    c.status === 'active' && c.reconnectBy && Date.parse(c.reconnectBy) - i18n.now() < RECONNECT_WARNING_MS
      ? c.reconnectBy
      : null
  const needsReconnect = c.status === 'expired' || c.status === 'revoked' || reconnectBy !== null
  return (
    <article class="card" aria-labelledby={id}>
      <header class="card-head">
        <div>
          <p class="provider-name">{PROVIDERS[c.provider].name}</p>
          <p class="org" id={id}>
            {c.organisation.name}
          </p>
        </div>
        <span class={`pill ${TONE[c.status]}`}>{t.pill[c.status]}</span>
      </header>
      <Reason connection={c} />
      {reconnectBy && (
        <div class="alert warn">
          <p>{t.reconnectBy(c.provider, i18n.date(reconnectBy), i18n.relative(reconnectBy))}</p>
        </div>
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
      {admin ? (
        <>
          <div class="actions">
            {needsReconnect && (
              <button
                type="button"
                class="primary"
                disabled={state.busy.value}
                onClick={() => void state.reconnect()}
              >
                {t.reconnect(c.provider)}
              </button>
            )}
            <button
              type="button"
              class="danger"
              disabled={state.busy.value}
              onClick={() => state.askDisconnect()}
            >
              {t.disconnect(c.provider)}
            </button>
          </div>
          <button type="button" class="link" aria-expanded={others} onClick={() => setOthers(!others)}>
            {others ? t.switchClose : t.switchOpen}
          </button>
          {others && <ConnectButtons except={c.provider} />}
        </>
      ) : (
        needsReconnect && <p class="muted">{t.askAdminReconnect(state.status.value?.tenant.name ?? '')}</p>
      )}
      <CardSections connection={c} />
    </article>
  )
}
