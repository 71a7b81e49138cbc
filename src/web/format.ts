/** Dates as Dutch users read them: 28-11-2026 (en: 28/11/2026). Date-only columns are UTC midnight. */
/** A value as a page or mail prints it: '' for undefined and null, else what String() makes of it (every value has a toString). */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return ''
  return (value as { toString(): string }).toString()
}

export function formatDate(value: Date | string | null | undefined, locale: string = 'nl'): string {
  if (!value) return ''
  const date = typeof value === 'string' ? new Date(value) : value
  if (Number.isNaN(date.getTime())) return ''
  const dd = String(date.getUTCDate()).padStart(2, '0')
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0')
  return locale === 'en' ? `${dd}/${mm}/${date.getUTCFullYear()}` : `${dd}-${mm}-${date.getUTCFullYear()}`
}

export function formatDateTime(value: Date | null | undefined, locale: string = 'nl'): string {
  if (!value) return ''
  return value.toLocaleString(locale === 'en' ? 'en-GB' : 'nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'short', timeStyle: 'short' })
}
