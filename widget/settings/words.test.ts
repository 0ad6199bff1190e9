import { describe, expect, it } from 'vitest'
import { settingsWords } from './words.ts'

// Every text, with QuickBooks as the provider and as every other argument (harmlessly).
const all = (locale: 'en-GB' | 'en-US') =>
  JSON.stringify(settingsWords(locale), (_k, v: unknown) =>
    typeof v === 'function' ? (v as (...a: unknown[]) => string)('quickbooks', 'quickbooks') : v,
  )

describe('settings words', () => {
  it('never abbreviate QuickBooks (QB-1.4)', () => {
    for (const locale of ['en-GB', 'en-US'] as const) {
      expect(all(locale)).toContain('QuickBooks')
      expect(all(locale)).not.toMatch(/\bQBO?\b|Quickbooks/)
    }
  })

  it('spell organisation the local way', () => {
    expect(all('en-GB')).toContain('organisation')
    expect(all('en-GB')).not.toContain('organization')
    expect(all('en-US')).toContain('organization')
    expect(all('en-US')).not.toContain('organisation')
  })

  it('count the matches and the changes', () => {
    const w = settingsWords('en-GB')
    expect([w.matches(1), w.matches(3), w.unsaved(1), w.unsaved(2)]).toEqual([
      '1 match.',
      '3 matches.',
      '1 change not saved yet.',
      '2 changes not saved yet.',
    ])
  })
})
