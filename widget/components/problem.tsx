import type { FieldError } from '../../shared/errors.ts'
import { describeError } from '../api/describe-error.ts'
import { useRuntime } from '../state/context.ts'

/**
 * An error in a bookkeeper's words: the message and action the server sent (or the widget's own
 * for the few codes it names itself: api/describe-error.ts), the request id as a reference for
 * support, and the ways out that apply.
 */
export function Problem(props: {
  error: {
    code: string
    requestId?: string | null
    server?: { message: string; action: string } | null
    details?: readonly FieldError[]
  }
  onRetry?: (() => void) | undefined
  onDismiss?: (() => void) | undefined
}) {
  const { t } = useRuntime().i18n
  // Fields are listed for the user to correct; other codes' details are for the app's developers.
  const details = props.error.code === 'validation_failed' ? (props.error.details ?? []) : []
  const { message, action } = describeError(t, props.error.code, props.error.server, details.length)
  return (
    <div class="alert bad" role="alert">
      <p class="alert-title">{message}</p>
      {details.length > 0 && (
        <ul class="fields">
          {details.map((d) => (
            <li key={d.path}>
              <code>{d.path}</code>: {d.message}
            </li>
          ))}
        </ul>
      )}
      <p>{action}</p>
      {props.error.requestId && (
        <p class="ref">
          {t.reference}: <code>{props.error.requestId}</code>
        </p>
      )}
      {(props.onRetry ?? props.onDismiss) && (
        <div class="actions">
          {props.onRetry && (
            <button type="button" class="primary" onClick={props.onRetry}>
              {t.tryAgain}
            </button>
          )}
          {props.onDismiss && (
            <button type="button" class="quiet" onClick={props.onDismiss}>
              {t.dismiss}
            </button>
          )}
        </div>
      )}
    </div>
  )
}
