import { NETWORK } from '../badges/words.ts'
import type { ComponentChildren } from 'preact'
import type { FieldError } from '../../shared/errors.ts'
import { usePage } from '../state/page-context.ts'

/** What a bookkeeper reads of a failure: what happened, and what to do. */
export interface Words {
  message: string
  action: string
}

/** A failed call (an ApiError), or a failure the widget names itself by its code. */
export interface Failure {
  code: string
  requestId?: string | null
  server?: Words | null
  details?: readonly FieldError[]
}

export const TRY_AGAIN = 'Try again'
const support = 'if it keeps happening, contact your app’s support'

/**
 * The words for the failures met before any server answer (the server sends its own with every
 * other error, and the widget carries no copy of its table). The panel adds the few codes a
 * consent's outcome or a connection's status name (i18n.ts `local`).
 */
export const OWN: Record<string, Words> = {
  network: NETWORK,
  token_unavailable: {
    message: 'Your app could not sign you in to LedgerLink.',
    action: `Reload the page; ${support}.`,
  },
  internal: {
    message: 'Something went wrong.',
    action: `${TRY_AGAIN}; ${support} with the reference shown.`,
  },
}

export { asError } from '../api/api-error.ts'

/** The server's words, else the widget's own for the code, else a general "something went wrong". */
export const wordsOf = (e: Failure, own: Record<string, Words> = OWN): Words =>
  e.server ?? own[e.code] ?? OWN[e.code] ?? OWN.internal!

/** A failure said in one go through the live region, by parts that announce their own failures. */
export const sayFailure = (e: Failure) => {
  const { message, action } = wordsOf(e)
  return `${message} ${action}`
}

export { Busy } from '../elements/busy.tsx'

/**
 * An error in a bookkeeper's words (`wordsOf`), the request id as a reference for support, and
 * the ways out that apply: Try again, Dismiss, or the part's own buttons (`children`). `alert`:
 * said at once by a screen reader (parts that announce their failures themselves leave it off).
 * "Correct the fields listed" is only said when fields are listed: otherwise there is nothing the
 * user could correct.
 */
export function Problem(props: {
  error: Failure
  own?: Record<string, Words>
  alert?: boolean
  /** The message is the heading above the box: not said twice. */
  titled?: boolean
  onRetry?: (() => void) | undefined
  onDismiss?: (() => void) | undefined
  children?: ComponentChildren
}) {
  const { words } = usePage()
  const { error, onRetry, onDismiss } = props
  const fields = error.code === 'validation_failed' ? (error.details ?? []) : []
  const { message, action } = wordsOf(error, props.own)
  return (
    <div class="alert bad" role={props.alert === false ? undefined : 'alert'}>
      {!props.titled && (
        <p class="alert-title" dir="auto">
          {message}
        </p>
      )}
      {fields.length > 0 && (
        <ul class="fields">
          {fields.map((d) => (
            <li key={d.path}>
              <code>{d.path}</code>: {d.message}
            </li>
          ))}
        </ul>
      )}
      <p dir="auto">
        {error.code === 'validation_failed' && !fields.length
          ? `Nothing you entered caused this. ${OWN.internal!.action}`
          : action}
      </p>
      {error.requestId && (
        <p class="ref">
          {words.supportRef}: <code>{error.requestId}</code>
        </p>
      )}
      {(onRetry || onDismiss || props.children) && (
        <div class="actions">
          {props.children}
          {onRetry && (
            <button type="button" class="primary" onClick={onRetry}>
              {TRY_AGAIN}
            </button>
          )}
          {onDismiss && (
            <button type="button" class="quiet" onClick={onDismiss}>
              {words.dismiss}
            </button>
          )}
        </div>
      )}
    </div>
  )
}
