import type { ComponentChildren } from 'preact'
import { useId, useLayoutEffect, useRef } from 'preact/hooks'

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex="0"]'

/**
 * A modal dialog: role=dialog with aria-modal, named by its title and described by its body. Focus
 * moves in (to the first control: Cancel, for the destructive ones), Tab cycles inside, Escape
 * closes, and focus goes back to what opened it (or, when that is gone, to the nearest
 * `[data-focus-home]`).
 */
export function Dialog(props: {
  title: string
  description: string
  onClose: () => void
  children: ComponentChildren
}) {
  const ref = useRef<HTMLDivElement>(null)
  const id = useId()
  const onClose = useRef(props.onClose)
  onClose.current = props.onClose

  // A layout effect: the opener must be read before the content behind the dialog turns inert.
  useLayoutEffect(() => {
    const box = ref.current!
    const root = box.getRootNode() as Document | ShadowRoot
    const opener = root.activeElement as HTMLElement | null
    const home = box.closest<HTMLElement>('[data-focus-home]')
    ;(box.querySelector<HTMLElement>(FOCUSABLE) ?? box).focus()
    return () => (opener?.isConnected ? opener : home)?.focus()
  }, [])

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      onClose.current()
      return
    }
    if (event.key !== 'Tab') return
    const box = ref.current!
    const items = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)]
    const active = (box.getRootNode() as ShadowRoot).activeElement
    const first = items[0] ?? box
    const last = items[items.length - 1] ?? box
    if (event.shiftKey && (active === first || active === box)) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && active === last) {
      event.preventDefault()
      first.focus()
    }
  }

  return (
    <div class="backdrop">
      <div
        ref={ref}
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-body`}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 class="dialog-title" id={`${id}-title`}>
          {props.title}
        </h2>
        <p id={`${id}-body`}>{props.description}</p>
        {props.children}
      </div>
    </div>
  )
}
