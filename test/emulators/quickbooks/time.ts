/**
 * QBO writes timestamps in the company's local time with its offset ("2015-07-29T09:29:56-07:00";
 * the response `time` adds milliseconds). The emulator's company sits at a fixed -07:00 (no DST).
 */
const OFFSET_MINUTES = -7 * 60

function local(ms: number) {
  const d = new Date(ms + OFFSET_MINUTES * 60_000)
  const sign = OFFSET_MINUTES < 0 ? '-' : '+'
  const abs = Math.abs(OFFSET_MINUTES)
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
  return { iso: d.toISOString(), offset }
}

/** MetaData.CreateTime / LastUpdatedTime. */
export function intuitDateTime(ms: number): string {
  const { iso, offset } = local(ms)
  return `${iso.slice(0, 19)}${offset}`
}

/** The `time` property of every response. */
export function intuitResponseTime(ms: number): string {
  const { iso, offset } = local(ms)
  return `${iso.slice(0, 23)}${offset}`
}

/** A company-local calendar date (TxnDate, DueDate). */
export function intuitDate(ms: number): string {
  return local(ms).iso.slice(0, 10)
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** Parses the timestamps QBO accepts in queries and CDC (ISO 8601 with or without offset or seconds). */
export function parseIntuitTime(value: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00-07:00`)
  const withSeconds = value.replace(/T(\d{2}:\d{2})(Z|[+-]|$)/, 'T$1:00$2')
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(withSeconds)
  const ms = Date.parse(hasZone ? withSeconds : `${withSeconds}-07:00`)
  return Number.isNaN(ms) ? null : ms
}
