/** A value that says when it changes: the core's state, without a signals library (1.6 KB saved). */
export interface Observable<T> {
  value: T
  /** Calls `listener` after each change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void
}

/**
 * The widget's state, without a signals library (it cost 3 KB): the badges-only page runs on
 * Preact alone, no hooks; the lazy parts keep their state in these too, and their views render
 * again on a change through `useWatch` (state/hooks.ts).
 */
export function observable<T>(initial: T): Observable<T> {
  let current = initial
  const listeners = new Set<() => void>()
  return {
    get value() {
      return current
    },
    set value(next: T) {
      if (Object.is(next, current)) return
      current = next
      for (const l of [...listeners]) l()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
