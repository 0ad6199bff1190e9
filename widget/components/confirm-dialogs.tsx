import type { ComponentChildren } from 'preact'
import { useLayoutEffect, useRef } from 'preact/hooks'
import { useRuntime } from '../state/context.ts'
import { Problem } from './problem.tsx'
import { useUid } from '../state/hooks.ts'

/** What can take the focus in a confirmation: its buttons (its text has no links or fields). */
const FOCUSABLE = 'button:not(:disabled)'

/**
 * A modal dialog: role=dialog with aria-modal, named by its title and described by its body. Focus
 * moves in (to the first control: Cancel, for the destructive ones), Tab cycles inside, Escape
 * closes, and focus goes back to what opened it (or, when that is gone, to the nearest
 * `[data-focus-home]`).
 */
function Dialog(props: { title: string; body: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null)
  const id = useUid()
  // A layout effect: the opener must be read before the content behind the dialog turns inert.
  useLayoutEffect(() => {
    const box = ref.current!
    const opener = (box.getRootNode() as ShadowRoot).activeElement as HTMLElement | null
    const home = box.closest<HTMLElement>('[data-focus-home]')
    ;(box.querySelector<HTMLElement>(FOCUSABLE) ?? box).focus()
    return () => (opener?.isConnected ? opener : home)?.focus()
  }, [])

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      return props.onClose()
    }
    const box = ref.current!
    const items = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)]
    const active = (box.getRootNode() as ShadowRoot).activeElement
    const first = items[0] ?? box
    const last = items.at(-1) ?? box
    const to =
      event.key === 'Tab' &&
      (event.shiftKey ? (active === first || active === box) && last : active === last && first)
    if (to) {
      event.preventDefault()
      to.focus()
    }
  }
  return (
    <div class="backdrop">
      <div
        ref={ref}
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}t`}
        aria-describedby={`${id}b`}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={`${id}t`}>{props.title}</h2>
        <p id={`${id}b`}>{props.body}</p>
        {props.children}
      </div>
    </div>
  )
}

/** The open dialog, if any: confirm a disconnect, or confirm switching to another provider. */
export function ConfirmDialogs() {
  const { state, i18n, page } = useRuntime()
  const { t } = i18n
  const d = state.dialog.value
  const current = state.status.value?.connection
  if (!d || !current) return null
  const next = d.kind === 'switch' && d.provider
  const { provider, organisation } = current
  return (
    <Dialog
      title={`${next ? t.switchConfirm(next) : t.disconnect(provider)}?`}
      body={
        next ? t.switchBody(provider, organisation.name, next) : t.disconnectBody(provider, organisation.name)
      }
      onClose={state.closeDialog}
    >
      {state.outstanding.value && <p>{state.outstanding.value}</p>}
      {state.actionError.value && <Problem error={state.actionError.value} />}
      <div class="actions end">
        <button type="button" class="quiet" onClick={state.closeDialog}>
          {page.words.cancel}
        </button>
        <button
          type="button"
          class={next ? 'primary' : 'danger solid'}
          disabled={state.busy.value}
          // The switch must open its popup inside this click: no await before it.
          onClick={() => void (next ? state.confirmSwitch() : state.disconnect())}
        >
          {next ? t.switchConfirm(next) : t.disconnectConfirm}
        </button>
      </div>
    </Dialog>
  )
}
