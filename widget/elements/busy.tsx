/**
 * A line that says what is loading, with a spinner: the frames of the core's elements, and the
 * lazy parts' (components/problem.tsx re-exports it), one copy in the core for both.
 */
export const Busy = ({ text, lead }: { text: string; lead?: boolean }) => (
  <p class={lead ? 'lead busy' : 'muted busy'}>
    <span class="spinner" aria-hidden="true" />
    {text}
  </p>
)
