import { describe, expect, it } from 'vitest'
import { OWN } from './components/problem.tsx'
import { createI18n, resolveLocale } from './i18n.ts'

const NOW = Date.parse('2026-11-22T12:00:00Z')

describe('resolveLocale', () => {
  it('reads en-US (any case, with a region suffix) and otherwise British English', () => {
    expect(['en-US', 'en-us', 'en-US-u-ca-gregory'].map(resolveLocale)).toEqual(['en-US', 'en-US', 'en-US'])
    expect(['en-GB', 'en', 'en-AU', 'fr-FR', '', null, undefined].map(resolveLocale)).toEqual(
      Array(7).fill('en-GB'),
    )
  })
})

describe('createI18n', () => {
  it('formats dates for each locale', () => {
    expect(createI18n('en-GB', () => NOW).date('2026-11-01T09:30:00Z')).toBe('1 Nov 2026')
    expect(createI18n('en-US', () => NOW).date('2026-11-01T09:30:00Z')).toBe('Nov 1, 2026')
  })

  it('says how long ago in words', () => {
    const { relative } = createI18n('en-GB', () => NOW)
    expect(relative('2026-11-22T11:59:30Z')).toBe('now')
    expect(relative('2026-11-22T11:55:00Z')).toBe('5 minutes ago')
    expect(relative('2026-11-22T09:00:00Z')).toBe('3 hours ago')
    expect(relative('2026-11-21T08:00:00Z')).toBe('yesterday')
    expect(relative('2026-12-12T12:00:00Z')).toBe('in 20 days')
  })

  it('spells organisation and cancelled the local way', () => {
    const gb = createI18n('en-GB').t
    const us = createI18n('en-US').t
    expect([gb.chooseTitle, gb.cancelled('xero')]).toEqual([
      'Choose the organisation to connect',
      'Signing in to Xero was cancelled. Nothing has changed.',
    ])
    expect([us.chooseTitle, us.cancelled('xero')]).toEqual([
      'Choose the organization to connect',
      'Signing in to Xero was canceled. Nothing has changed.',
    ])
  })

  it('never abbreviates QuickBooks (QB-1.4)', () => {
    for (const locale of ['en-GB', 'en-US'] as const) {
      // Every message, with QuickBooks as the provider (and as the other arguments, harmlessly).
      const text = JSON.stringify(createI18n(locale).t, (_k, v: unknown) =>
        typeof v === 'function'
          ? (v as (...a: string[]) => string)('quickbooks', 'quickbooks', 'quickbooks')
          : v,
      )
      expect(text).toContain('QuickBooks')
      expect(text).not.toMatch(/\bQBO?\b|Quickbooks/)
    }
  })
})

describe('the widget’s own error words', () => {
  it('name only codes of the server’s table, or failures met before any server answer', async () => {
    // Imported here only: the error table is the server's, and stays out of the widget's bundle.
    const { ERRORS } = await import('../shared/errors.ts')
    // The panel's own (i18n.ts `local`) and those of every lazy part (components/problem.tsx).
    const own = [...Object.keys(createI18n('en-GB').t.local), ...Object.keys(OWN)]
    expect(own.filter((code) => !Object.hasOwn(ERRORS, code))).toEqual(['network', 'token_unavailable'])
    // A consent's outcome (a redirect's ledgerlink_error) and a connection's status and lastError.
    expect(own).toEqual(
      expect.arrayContaining([
        'oauth_denied',
        'oauth_state_invalid',
        'unauthenticated',
        'provider_error',
        'provider_unavailable',
        'connection_expired',
        'connection_revoked',
      ]),
    )
  })
})
