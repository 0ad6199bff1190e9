/** The two spellings the widget speaks; every other English locale reads en-GB. */
export type Locale = 'en-GB' | 'en-US'

/** Picks the locale from the `locale` option, else the page's `lang`, else British English. */
export function resolveLocale(requested?: string | null): Locale {
  return /^en-us\b/i.test(requested ?? '') ? 'en-US' : 'en-GB'
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
]

/** Dates, times and counts in one locale; `now` is injectable so tests can pin the clock. */
export function createFormat(locale: Locale, now: () => number = Date.now) {
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' })
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
  const timeFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'short' })
  const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  const numberFormat = new Intl.NumberFormat(locale)
  return {
    locale,
    date: (iso: string) => dateFormat.format(new Date(iso)),
    dateTime: (iso: string) => dateTimeFormat.format(new Date(iso)),
    time: (iso: string) => timeFormat.format(new Date(iso)),
    /** "5 minutes ago", "yesterday", "in 12 days"; under a minute reads "now". */
    relative: (iso: string) => {
      const diff = new Date(iso).getTime() - now()
      for (const [unit, ms] of UNITS)
        if (Math.abs(diff) >= ms) return relativeFormat.format(Math.trunc(diff / ms), unit)
      return relativeFormat.format(0, 'second')
    },
    count: (n: number) => numberFormat.format(n),
    now,
  }
}
export type Format = ReturnType<typeof createFormat>
