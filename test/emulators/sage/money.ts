/** Amounts are kept in integer minor units (pence) and rendered as JSON numbers, as the v3.1 schema types them. */
export function toMinor(value: number): number {
  // toFixed first: 0.1 * 3 * 100 is 30.000000000000004, which must round to 30, not up.
  return Math.round(Number((value * 100).toFixed(6)))
}

export function fromMinor(minor: number): number {
  return minor / 100
}

/** Quantity × price in pence, rounded half away from zero to the penny. */
export function lineAmountMinor(quantity: number, unitPrice: number): number {
  const exact = Number((quantity * unitPrice * 100).toFixed(6))
  return Math.sign(exact) * Math.round(Math.abs(exact))
}
