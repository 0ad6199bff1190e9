/**
 * Exact decimal arithmetic for Xero's line maths. A JSON number is read as the decimal it was
 * written as (its shortest round-trip text, so 0.285 is 285/1000, not the nearest double), and
 * products are rounded once, half away from zero: Xero computes in decimals, and floating point
 * would put 3 × 0.285 = 0.8549999… on the wrong side of a half cent.
 */
interface Exact {
  value: bigint
  scale: number
}

export function exact(n: number): Exact {
  const [mantissa = '0', exponent = '0'] = String(n).split('e')
  const [whole = '0', fraction = ''] = mantissa.split('.')
  let value = BigInt(whole + fraction)
  let scale = fraction.length - Number(exponent)
  if (scale < 0) {
    value *= 10n ** BigInt(-scale)
    scale = 0
  }
  return { value, scale }
}

function divRound(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n
  const a = n < 0n ? -n : n
  const b = d < 0n ? -d : d
  const q = (a * 2n + b) / (b * 2n)
  return negative ? -q : q
}

/** (Π factors) / divisor, rounded to `dp` decimals, as a number. */
export function productRounded(factors: number[], divisor: number, dp: number): number {
  const parts = [...factors.map(exact)]
  const div = exact(divisor)
  const numerator = parts.reduce((a, p) => a * p.value, 1n) * 10n ** BigInt(dp + div.scale)
  const scale = parts.reduce((a, p) => a + p.scale, 0)
  const rounded = divRound(numerator, div.value * 10n ** BigInt(scale))
  return Number(rounded) / 10 ** dp
}

/** a + b exactly, as the number nearest that decimal (whose text is the decimal itself). */
export function add(a: number, b: number): number {
  const x = exact(a)
  const y = exact(b)
  const scale = Math.max(x.scale, y.scale)
  const value = x.value * 10n ** BigInt(scale - x.scale) + y.value * 10n ** BigInt(scale - y.scale)
  return Number(`${value}e-${scale}`)
}
