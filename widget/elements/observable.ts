/** A value that says when it changes: the core's state, without a signals library (1.6 KB saved). */
export interface Observable<T> {
  value: T
  /** Calls `listener` after each change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void
}

/**
 * The badges-only page runs on Preact alone: no hooks, no signals (those are 3 KB of a 12 KB
 * budget). The lazy parts use @preact/signals and hooks; they read these values directly.
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
