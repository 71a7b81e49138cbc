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

function partsOf(date: Date): Record<string, string> {
  const parts: Record<string, string> = {}
  for (const part of amsterdamParts.formatToParts(date)) parts[part.type] = part.value
  return parts
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
  const p = partsOf(value) // once: formatToParts is the costly part of a Logboek row
  return `${dayOf(p, locale)} ${p.hour}:${p.minute}`
}

/** ISO 8601 with the Europe/Amsterdam offset, for exports: 2026-11-28T14:05:09+01:00. */
export function isoDateTimeAmsterdam(value: Date): string {
  const p = partsOf(value)
  const offset = (p.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00'
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`
}
