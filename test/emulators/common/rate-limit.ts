import type { Clock } from './clock.ts'

/** A fixed-window counter per key (organisation, app), on the emulator's clock. */
export function createWindowCounter(clock: Clock, windowMs: number, limit: number) {
  const windows = new Map<string, { start: number; count: number }>()
  function current(key: string) {
    const now = clock.now()
    let w = windows.get(key)
    if (!w || now - w.start >= windowMs) {
      w = { start: now - ((now - (w?.start ?? now)) % windowMs), count: 0 }
      windows.set(key, w)
    }
    return w
  }
  return {
    limit,
    /** Counts a call; answers whether it fits and, when not, how many ms until the window resets. */
    take(key: string): { ok: true; remaining: number } | { ok: false; retryAfterMs: number } {
      const w = current(key)
      if (w.count >= limit) return { ok: false, retryAfterMs: w.start + windowMs - clock.now() }
      w.count++
      return { ok: true, remaining: limit - w.count }
    },
    remaining: (key: string) => limit - current(key).count,
  }
}

/** In-flight calls per key, with the highest concurrency seen (a test asserts the product stayed under it). */
export function createConcurrencyGauge(limit: number) {
  const inFlight = new Map<string, number>()
  const peak = new Map<string, number>()
  return {
    limit,
    enter(key: string): boolean {
      const n = (inFlight.get(key) ?? 0) + 1
      peak.set(key, Math.max(peak.get(key) ?? 0, n))
      if (n > limit) return false
      inFlight.set(key, n)
      return true
    },
    leave(key: string) {
      inFlight.set(key, Math.max(0, (inFlight.get(key) ?? 1) - 1))
    },
    peak: (key: string) => peak.get(key) ?? 0,
  }
}
