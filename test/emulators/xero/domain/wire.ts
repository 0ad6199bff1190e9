/** Xero's JSON conventions: MS-JSON dates and two-decimal money (PROVIDERS 1.7). */

/** `/Date(1539993600000+0000)/` */
export function msDate(epochMs: number): string {
  return `/Date(${epochMs}+0000)/`
}

/** A `YYYY-MM-DD` document date as Xero returns it: MS-JSON plus `…String` beside it. */
export function documentDate(day: string): { date: string; dateString: string } {
  return { date: msDate(Date.parse(`${day}T00:00:00Z`)), dateString: `${day}T00:00:00` }
}

/** `2018-11-02T16:31:30Z`-style companion of an UpdatedDateUTC. */
export function utcString(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/

/**
 * Reads a date a client sent: `YYYY-MM-DD`, an ISO date-time, or MS-JSON. Returns `YYYY-MM-DD`,
 * or null when Xero could not read it either.
 */
export function readDate(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null
  const ms = MS_DATE.exec(value)
  const epoch = ms ? Number(ms[1]) : /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value.slice(0, 10)) : NaN
  return Number.isNaN(epoch) ? null : new Date(epoch).toISOString().slice(0, 10)
}

/** Rounds half away from zero at `dp` places, exact for decimal inputs like 1.005. */
export function round(value: number, dp = 2): number {
  const sign = value < 0 ? -1 : 1
  const shifted = Number(`${Math.abs(value)}e${dp}`)
  return (sign * Math.round(shifted)) / 10 ** dp
}

/** The envelope every Accounting answer carries ([spec] examples: Id, Status, ProviderName, DateTimeUTC). */
export function envelope(now: number, providerName: string, body: Record<string, unknown>) {
  return {
    Id: crypto.randomUUID(),
    Status: 'OK',
    ProviderName: providerName,
    DateTimeUTC: msDate(now),
    ...body,
  }
}
