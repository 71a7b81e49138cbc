/** Dates as Dutch users read them: 28-11-2026 (en: 28/11/2026). Date-only columns are UTC midnight. */
/** A value as a page or mail prints it: '' for undefined and null, else what String() makes of it (every value has a toString). */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return ''
  return (value as { toString(): string }).toString()
}

/** Calendar parts in the portal's zone (Europe/Amsterdam); a date-only value (UTC midnight) keeps its day. */
const amsterdamParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
})

/** The calendar parts by Intl (tens of microseconds a call): the reference, and the offset's source. */
export function intlPartsOf(date: Date): Record<string, string> {
  const parts: Record<string, string> = {}
  for (const part of amsterdamParts.formatToParts(date)) parts[part.type] = part.value
  return parts
}

const HOUR_MS = 3_600_000
/** Amsterdam's offset from UTC per UTC hour: it only changes on the hour (01:00 UTC, last Sundays of March and October). */
const offsetByHour = new Map<number, { minutes: number; name: string }>()

function offsetAt(date: Date): { minutes: number; name: string } {
  const hour = Math.floor(date.getTime() / HOUR_MS)
  let offset = offsetByHour.get(hour)
  if (!offset) {
    const name = intlPartsOf(date).timeZoneName ?? 'GMT'
    // Whole minutes only ("GMT+01:00", "GMT"); the local mean time of before 1937 (+00:19:32) goes to Intl.
    const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name)
    offset = { minutes: !m ? Number.NaN : m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0, name }
    if (offsetByHour.size >= 10_000) offsetByHour.clear() // more than a year of hours; a few hundred kB
    offsetByHour.set(hour, offset)
  }
  return offset
}

const two = (n: number) => (n < 10 ? '0' : '') + n

/**
 * The same parts as intlPartsOf, from the hour's offset and the UTC fields: a Logboek page formats
 * 50 times, and formatToParts was a tenth of its work. Years before 1000 or after 9999 go to Intl.
 */
function partsOf(date: Date): Record<string, string> {
  const { minutes, name } = offsetAt(date)
  if (Number.isNaN(minutes)) return intlPartsOf(date)
  const local = new Date(date.getTime() + minutes * 60_000)
  const year = local.getUTCFullYear()
  if (year < 1000 || year > 9999) return intlPartsOf(date)
  return {
    year: String(year),
    month: two(local.getUTCMonth() + 1),
    day: two(local.getUTCDate()),
    hour: two(local.getUTCHours()),
    minute: two(local.getUTCMinutes()),
    second: two(local.getUTCSeconds()),
    timeZoneName: name,
  }
}

function dayOf(p: Record<string, string>, locale: string): string {
  return locale === 'en' ? `${p.day}/${p.month}/${p.year}` : `${p.day}-${p.month}-${p.year}`
}

export function formatDate(value: Date | string | null | undefined, locale: string = 'nl'): string {
  if (!value) return ''
  const date = typeof value === 'string' ? new Date(value) : value
  if (Number.isNaN(date.getTime())) return ''
  return dayOf(partsOf(date), locale)
}

/** Date and time as the portal shows them, in Europe/Amsterdam: 28-11-2026 14:05 (en: 28/11/2026 14:05). */
export function formatDateTime(value: Date | null | undefined, locale: string = 'nl'): string {
  if (!value) return ''
  const p = partsOf(value)
  return `${dayOf(p, locale)} ${p.hour}:${p.minute}`
}

/** ISO 8601 with the Europe/Amsterdam offset, for exports: 2026-11-28T14:05:09+01:00. */
export function isoDateTimeAmsterdam(value: Date): string {
  const p = partsOf(value)
  const offset = (p.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00'
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`
}
