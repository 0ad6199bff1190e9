/**
 * QBO computes in decimal, not binary floating point: Qty × UnitPrice and tax are rounded half up to
 * the cent from their exact decimal values (1.005 × 1 is 1.01 there, not JavaScript's 1.00).
 * Request numbers arrive as JSON numbers; their shortest text form is the decimal the client wrote.
 */
interface Dec {
  value: bigint
  scale: number
}

function dec(n: unknown): Dec {
  const num = Number(n ?? 0)
  const text = /e/i.test(String(num)) ? num.toFixed(12) : String(num)
  const [whole = '0', frac = ''] = text.replace('-', '').split('.')
  const value = BigInt(whole + frac)
  return { value: text.startsWith('-') ? -value : value, scale: frac.length }
}

const pow10 = (n: number) => 10n ** BigInt(n)

/** Half away from zero, as QBO rounds money. */
function divRound(n: bigint, d: bigint): number {
  const negative = n < 0n !== d < 0n
  const a = n < 0n ? -n : n
  const b = d < 0n ? -d : d
  const q = (a * 2n + b) / (b * 2n)
  return Number(negative ? -q : q)
}

/** Cents of a × b (Qty × UnitPrice). */
export function productCents(a: unknown, b: unknown): number {
  const x = dec(a)
  const y = dec(b)
  return divRound(x.value * y.value * 100n, pow10(x.scale + y.scale))
}

/** Cents of `cents × percent / 100` (tax on a net amount, a percentage discount). */
export function percentCents(cents: number, percent: unknown): number {
  const p = dec(percent)
  return divRound(BigInt(cents) * p.value, 100n * pow10(p.scale))
}

/** The tax inside a tax-inclusive gross amount: gross × p / (100 + p), to the cent. */
export function includedTaxCents(grossCents: number, percent: unknown): number {
  const p = dec(percent)
  return divRound(BigInt(grossCents) * p.value, 100n * pow10(p.scale) + p.value)
}
