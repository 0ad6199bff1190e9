import { describe, expect, test } from 'vitest'
import { divRound, documentTotals, formatMinor, lineAmounts, parseDecimal, toMinor } from './money.ts'
import { minorUnitsOf } from './currencies.ts'

describe('money', () => {
  test('minor units come from ISO 4217', () => {
    expect(minorUnitsOf('GBP')).toBe(2)
    expect(minorUnitsOf('JPY')).toBe(0)
    expect(minorUnitsOf('KWD')).toBe(3)
    expect(() => minorUnitsOf('XXX')).toThrow(RangeError)
  })

  test('decimal strings convert to and from minor units exactly', () => {
    expect(toMinor('12.5', 'GBP')).toBe(1250n)
    expect(toMinor('0.10', 'USD')).toBe(10n)
    expect(toMinor('1500', 'JPY')).toBe(1500n)
    expect(toMinor('1.005', 'BHD')).toBe(1005n)
    expect(() => toMinor('1.005', 'GBP')).toThrow(/at most 2/)
    expect(() => toMinor('1.5', 'JPY')).toThrow(/at most 0/)
    expect(formatMinor(1250n, 'GBP')).toBe('12.50')
    expect(formatMinor(5, 'GBP')).toBe('0.05')
    expect(formatMinor(-5n, 'EUR')).toBe('-0.05')
    expect(formatMinor(1500n, 'JPY')).toBe('1500')
    expect(formatMinor(1005n, 'KWD')).toBe('1.005')
  })

  test('rounding is half away from zero', () => {
    expect(divRound(5n, 2n)).toBe(3n)
    expect(divRound(-5n, 2n)).toBe(-3n)
    expect(divRound(4n, 3n)).toBe(1n)
    expect(divRound(7n, 2n)).toBe(4n)
    expect(parseDecimal('-1.50')).toEqual({ value: -150n, scale: 2 })
  })

  test('line net is rounded once and tax is rounded per line', () => {
    expect(lineAmounts({ quantity: '3', unitPrice: '19.99', taxRate: '20' }, 'GBP')).toEqual({
      netMinor: 5997n,
      taxMinor: 1199n, // 11.994 rounds down
    })
    // 2.5 × 3.333 = 8.3325 → 8.33; 10% off the exact product first: 7.49925 → 7.50
    expect(lineAmounts({ quantity: '2.5', unitPrice: '3.333', discountRate: '10' }, 'GBP').netMinor).toBe(
      750n,
    )
    expect(lineAmounts({ quantity: '1', unitPrice: '0.125', taxRate: '17.5' }, 'GBP')).toEqual({
      netMinor: 13n,
      taxMinor: 2n, // 0.13 × 17.5% = 0.02275
    })
  })

  test('per-line tax rounding differs from rounding the sum, and the totals add up', () => {
    const lines = [
      { quantity: '1', unitPrice: '0.05', taxRate: '10' },
      { quantity: '1', unitPrice: '0.05', taxRate: '10' },
    ]
    // each line: tax 0.005 → 0.01; on the sum it would be 0.01 only
    expect(documentTotals(lines, 'AUD')).toEqual({ subtotalMinor: 10n, taxMinor: 2n, totalMinor: 12n })
  })
})
