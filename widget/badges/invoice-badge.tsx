import { Component, createRef } from 'preact'
import type { SyncState } from '../../shared/sync-state.ts'
import type { Attributes } from '../elements/define-element.tsx'
import type { Page } from '../runtime.ts'
import { PageContext } from '../elements/page-context.ts'
import type { ApiError } from '../api/api-error.ts'
import type { CoreWords } from './words.ts'

const TONE: Record<SyncState['state'], string> = {
  not_synced: '',
  pending: 'info',
  synced: 'ok',
  outdated: 'warn',
  error: 'bad',
}

/** A refused Post or Retry in the server's words (it sends message and action), else the badge's own. */
function refusal(words: CoreWords, e: ApiError): string {
  if (e.server) return `${e.server.message} ${e.server.action}`
  return e.code === 'network' ? words.network : words.unavailableMeaning
}

/**
 * `<ledgerlink-invoice-badge invoice-id="inv_…" [show-action]>`: where an invoice stands with the
 * accounting software. The pill opens the details (what it means, the error in a bookkeeper's
 * words with what to do, the provider's own words and the reference for support); the action
 * ("Post to Xero", "Send update", Retry) asks for confirmation first. `show-action` shows the
 * action and the details at once (an invoice's own page). A class, not hooks: a page of badges
 * loads Preact alone.
 */
export class InvoiceBadge extends Component<Attributes, { open: boolean; confirming: boolean }> {
  static override contextType = PageContext
  declare context: Page
  override state = { open: this.props.showAction !== null, confirming: false }
  #confirm = createRef<HTMLButtonElement>()
  #action = createRef<HTMLButtonElement>()
  #stops: (() => void)[] = []

  #watch() {
    for (const stop of this.#stops) stop()
    const { badges } = this.context
    const id = this.props.invoiceId
    const update = () => this.forceUpdate()
    this.#stops = id
      ? [
          badges.watch(id),
          badges.entry(id).subscribe(update),
          badges.connection.subscribe(update),
          badges.loadError.subscribe(update),
        ]
      : []
  }
  override componentDidMount() {
    this.#watch()
  }
  override componentDidUpdate(before: Attributes, was: { confirming: boolean }) {
    if (before.invoiceId !== this.props.invoiceId || before.showAction !== this.props.showAction) {
      this.#watch()
      this.setState({ open: this.props.showAction !== null, confirming: false })
    }
    if (this.state.confirming && !was.confirming) this.#confirm.current?.focus()
  }
  override componentWillUnmount() {
    for (const stop of this.#stops) stop()
  }

  #ask = () => this.setState({ confirming: true })
  #cancel = () => {
    this.setState({ confirming: false })
    queueMicrotask(() => this.#action.current?.focus())
  }
  #post = () => {
    this.setState({ confirming: false })
    void this.context.badges.post(this.props.invoiceId ?? '').then(() => this.#action.current?.focus())
  }

  override render(
    { invoiceId, showAction }: Attributes,
    { open, confirming }: { open: boolean; confirming: boolean },
  ) {
    const { badges, words, format } = this.context
    const id = invoiceId ?? ''
    const { sync, posting, refused } = badges.entry(id).value
    const connection = badges.connection.value
    if (sync === undefined)
      return badges.loadError.value ? (
        <span class="badge">
          <span class="pill" title={words.unavailableMeaning}>
            {words.unavailable}
          </span>
        </span>
      ) : (
        <span class="badge" aria-busy="true">
          <span class="pill">
            <span class="sr-only">{words.checking}</span>…
          </span>
        </span>
      )
    if (sync === null)
      return (
        <span class="badge">
          <span class="pill" title={words.unknownMeaning}>
            {words.unknown}
          </span>
        </span>
      )

    const state = posting ? 'pending' : sync.state
    const provider = connection?.provider ?? sync.provider
    const usable = connection?.status === 'active'
    const meaning =
      state === 'synced'
        ? words.meaning.synced(provider, sync.syncedAt ? format.dateTime(sync.syncedAt) : '')
        : words.meaning[state](provider)
    // What a click can do here: post a new one, send an edit, or retry a failure.
    const action =
      !usable || !provider || state === 'pending' || state === 'synced'
        ? null
        : state === 'error'
          ? words.retry
          : state === 'outdated'
            ? words.update(provider)
            : words.post(provider)
    const question =
      provider && (state === 'outdated' ? words.confirmUpdate(provider) : words.confirmPost(provider))
    const why = !connection ? words.notConnected : !usable && provider ? words.reconnect(provider) : null
    const error = state === 'error' ? sync.error : null
    return (
      <span class="badge" data-state={state}>
        <span class="row">
          <button
            type="button"
            class={`pill ${TONE[state]}`}
            aria-expanded={open}
            aria-label={`${words.label[state]}. ${meaning}`}
            title={meaning}
            onClick={() => this.setState({ open: !open })}
          >
            {state === 'pending' && <span class="spinner" aria-hidden="true" />}
            {words.label[state]}
          </button>
          {state === 'synced' && sync.url && provider && (open || showAction !== null) && (
            <a href={sync.url} target="_blank" rel="noopener noreferrer">
              {words.open(provider)}
            </a>
          )}
          {action && !confirming && (showAction !== null || open) && (
            <button
              type="button"
              class={state === 'error' ? 'primary' : ''}
              ref={this.#action}
              disabled={posting}
              onClick={this.#ask}
            >
              {action}
            </button>
          )}
        </span>
        {confirming && question && (
          <span
            class="note row"
            role="group"
            aria-label={question}
            onKeyDown={(e) => e.key === 'Escape' && this.#cancel()}
          >
            <span>{question}</span>
            <button type="button" class="primary" ref={this.#confirm} onClick={this.#post}>
              {action}
            </button>
            <button type="button" class="quiet" onClick={this.#cancel}>
              {words.cancel}
            </button>
          </span>
        )}
        {refused && (
          <span class="note bad" role="alert">
            <p>{refusal(words, refused)}</p>
            {refused.requestId && (
              <p class="ref">
                {words.supportRef}: <code>{refused.requestId}</code>
              </p>
            )}
            <button type="button" class="quiet" onClick={() => badges.dismiss(id)}>
              {words.dismiss}
            </button>
          </span>
        )}
        {open && (
          <span class={`note ${error ? 'bad' : ''}`}>
            {error ? (
              <>
                <p>
                  <strong dir="auto">{error.message}</strong>
                </p>
                <p dir="auto">{error.action}</p>
                {error.providerMessage && provider && (
                  <p class="muted" dir="auto">
                    {words.providerSaid(provider, error.providerMessage)}
                  </p>
                )}
                {error.correlationId && (
                  <p class="ref">
                    {words.supportRef}: <code>{error.correlationId}</code>
                  </p>
                )}
              </>
            ) : (
              <p>{meaning}</p>
            )}
            {why && <p>{why}</p>}
          </span>
        )}
      </span>
    )
  }
}
