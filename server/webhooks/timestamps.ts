/** An ISO 8601 date-time, its fraction of any length, its zone optional (`Z`, `+01:00` or `-0700`). */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i

/**
 * When a provider says an event happened, in ms, or null when it cannot be read (the event is
 * still taken: the time is only for ordering). Xero writes UTC without a zone
 * (`2024-06-21T01:15:39.902`), CloudEvents nanoseconds (`2025-09-10T21:31:25.179851517Z`), and
 * QuickBooks' legacy format an offset without a colon (`2015-10-05T14:42:19-0700`).
 */
export function providerTime(text: string | null | undefined): number | null {
  const match = text ? DATE_TIME.exec(text.trim()) : null
  if (!match) return null
  const [, base, fraction = '', zone = 'Z'] = match
  const ms = fraction ? fraction.slice(0, 4).padEnd(4, '0') : ''
  const offset = /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase()
  const at = Date.parse(`${base}${ms}${offset}`)
  return Number.isNaN(at) ? null : at
}
