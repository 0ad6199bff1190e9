/**
 * One figure of the benchmark suite: a measured value beside a baseline measured in the same run
 * (these machines are noisy, so only ratios within one run are compared), and the goal it is held to.
 */
export interface Figure {
  name: string
  value: number
  unit: string
  baseline: number
  ratio: number
  goal: string
}

export const FIGURE_PREFIX = 'BENCH-FIGURE '

/** Prints a figure for bench/run.ts to collect (a script may print several). */
export function report(figure: Omit<Figure, 'ratio'> & { ratio?: number }) {
  const ratio = figure.ratio ?? round(figure.value / figure.baseline, 3)
  process.stdout.write(`${FIGURE_PREFIX}${JSON.stringify({ ...figure, ratio })}\n`)
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits
