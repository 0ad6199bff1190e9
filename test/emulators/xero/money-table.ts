import type { InvoiceSpec, LineSpec } from './sync-testing.ts'

/**
 * Invoices built to break rounding (CERTIFICATION XR-D04): half cents, 4-decimal quantities and
 * prices, tax-inclusive lines, discounts, JPY and KWD, US sales tax rates, 100 lines, and a seeded
 * random set. Pushed through the adapter, Xero's totals must equal the adapter's totals().
 */
type Org = 'uk' | 'us'

/** A small deterministic generator, so a failing case can be replayed. */
function lcg(seed: number) {
  let s = seed
  return (max: number) => ((s = (s * 1103515245 + 12345) % 2 ** 31), s % max)
}

/** Each case names the organisation it is pushed to; `spec` fills in number, contact and defaults. */
export function moneyTable(spec: (over: Partial<InvoiceSpec>) => InvoiceSpec): [string, Org, InvoiceSpec][] {
  const table: [string, Org, InvoiceSpec][] = []
  const add = (name: string, org: Org, over: Partial<InvoiceSpec>) => table.push([name, org, spec(over)])
  const many = (count: number, f: (i: number) => LineSpec) => Array.from({ length: count }, (_, i) => f(i))
  add('60 lines of 0.005', 'uk', { lines: many(60, () => ({ q: '1', p: '0.005', tax: 'OUTPUT2' })) })
  add('3 × 0.075 and 5% of 0.70 (half cents)', 'uk', {
    lines: [
      { q: '3', p: '0.075', tax: 'OUTPUT2' },
      { q: '1', p: '0.70', tax: 'RROUTPUT' },
    ],
  })
  add('4-decimal quantities and prices', 'uk', {
    lines: [
      { q: '1.0005', p: '2.5', tax: 'OUTPUT2' },
      { q: '2.3335', p: '1.0001', tax: 'RROUTPUT' },
      { q: '0.0001', p: '9999.9999', tax: 'OUTPUT2' },
    ],
  })
  add('tax-inclusive half cents', 'uk', {
    amounts: 'tax_inclusive',
    lines: [
      { q: '1', p: '0.69', tax: 'OUTPUT2' },
      { q: '1', p: '1.05', tax: 'RROUTPUT' },
      { q: '7', p: '0.333', tax: 'OUTPUT2' },
    ],
  })
  add('discounts by rate and amount', 'uk', {
    lines: [
      { q: '1', p: '1.40', tax: 'OUTPUT2', discountRate: '12.5' },
      { q: '3', p: '0.99', tax: 'OUTPUT2', discountRate: '33.33' },
      { q: '2', p: '5.005', tax: 'RROUTPUT', discountMinor: 1n },
    ],
  })
  add('inclusive with discounts', 'uk', {
    amounts: 'tax_inclusive',
    lines: [
      { q: '1.5', p: '3.3333', tax: 'OUTPUT2', discountRate: '2.5' },
      { q: '1', p: '10', tax: 'OUTPUT2', discountMinor: 5n },
    ],
  })
  add('JPY, whole yen', 'uk', {
    currency: 'JPY',
    lines: [
      { q: '2', p: '1500', tax: 'OUTPUT2' },
      { q: '1', p: '2000', tax: 'RROUTPUT' },
      { q: '3', p: '333', tax: null },
    ],
  })
  add('JPY inclusive', 'uk', {
    currency: 'JPY',
    amounts: 'tax_inclusive',
    lines: [{ q: '1', p: '1200', tax: 'OUTPUT2' }],
  })
  add('KWD (3 minor digits)', 'uk', {
    currency: 'KWD',
    lines: [
      { q: '1.5', p: '1.2345', tax: 'OUTPUT2' },
      { q: '1', p: '0.125', tax: 'RROUTPUT', discountMinor: 50n },
    ],
  })
  add('US sales tax 7.25% and 8.875%', 'us', {
    currency: 'USD',
    lines: [
      { q: '1', p: '6', tax: 'TAX001', account: '400' },
      { q: '1', p: '0.40', tax: 'TAX002', account: '400' },
      { q: '3', p: '19.995', tax: 'TAX002', account: '400' },
    ],
  })
  const r = lcg(42)
  const taxes = ['OUTPUT2', 'RROUTPUT', 'ZERORATEDOUTPUT']
  add('100 generated lines', 'uk', {
    lines: many(100, () => ({
      q: `${r(5)}.${String(r(10_000)).padStart(4, '0')}`,
      p: `${r(50)}.${String(r(1000)).padStart(3, '0')}`,
      tax: taxes[r(3)]!,
      ...(r(4) === 0 ? { discountRate: `${r(40)}.${r(100)}` } : {}),
    })),
  })
  for (let k = 0; k < 30; k++) {
    add(`generated ${k}`, 'uk', {
      amounts: r(2) === 0 ? 'tax_inclusive' : 'tax_exclusive',
      lines: many(1 + r(8), () => ({
        q: `${1 + r(9)}`,
        p: `${r(30)}.${String(r(1000)).padStart(3, '0')}`,
        tax: taxes[r(3)]!,
      })),
    })
  }
  return table
}
