import { useRuntime } from '../state/context.ts'
import type { Announcement } from '../state/connection.ts'
import type { Messages } from '../i18n.ts'

function say(t: Messages, a: Announcement): string {
  switch (a.kind) {
    case 'connected':
      return t.announce.connected(a.provider, a.organisation)
    case 'notConnected':
      return t.announce.notConnected
    default:
      return t.announce[a.kind](a.provider)
  }
}

/** Always in the tree, so screen readers hear each status change as the state announces it. */
export function LiveRegion() {
  const { state, i18n } = useRuntime()
  const a = state.announcement.value
  return (
    <p class="sr-only" role="status" aria-live="polite" aria-atomic="true">
      {a ? say(i18n.t, a) : ''}
    </p>
  )
}
