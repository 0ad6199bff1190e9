/**
 * The emulators' notion of time. Real time runs `scale` times faster (a benchmark can play an hour
 * of traffic in seconds with every ratio intact) and tests can jump it forward with `advance`.
 *
 * @example const clock = createClock({ scale: 60 }); clock.advance(30 * 60_000)
 */
export interface Clock {
  now(): number
  advance(ms: number): void
  /** How long a wait of `virtualMs` on this clock takes in real milliseconds. */
  toRealMs(virtualMs: number): number
  readonly scale: number
}

export function createClock(options: { scale?: number; start?: number } = {}): Clock {
  const scale = options.scale ?? 1
  if (!(scale > 0)) throw new Error('clock scale must be positive')
  const realStart = Date.now()
  const start = options.start ?? realStart
  let offset = 0
  return {
    scale,
    now: () => start + (Date.now() - realStart) * scale + offset,
    advance(ms) {
      if (!(ms >= 0)) throw new Error('a clock only moves forward')
      offset += ms
    },
    toRealMs: (virtualMs) => virtualMs / scale,
  }
}
