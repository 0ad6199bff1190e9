/**
 * Capped exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): the wait before retry n is uniform in [0, min(cap, base · 2^(n-1))]. Full jitter spreads
 * the retries of many jobs that failed together, so they do not return to the provider in step.
 */
export const BACKOFF = { baseMs: 1_000, capMs: 5 * 60_000 } as const

export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  { baseMs, capMs }: { baseMs: number; capMs: number } = BACKOFF,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.floor(random() * ceiling)
}
